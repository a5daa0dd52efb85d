import { startPostgresServer } from './postgres-server';

/** Starts one PostgreSQL server for the whole run; workers read its URL from the environment. */
export default async function globalSetup(): Promise<void> {
  const server = await startPostgresServer();
  process.env.MAITRED_TEST_PG_ADMIN_URL = server.adminUrl;
  (globalThis as { __maitredPostgres?: { stop(): Promise<void> } }).__maitredPostgres = server;
}
