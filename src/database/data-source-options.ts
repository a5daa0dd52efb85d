import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

interface SqliteHandle {
  pragma(source: string): unknown;
}

/** The data source for the configured dialect: an embedded SQLite file by default, PostgreSQL when asked. */
export function buildDataSourceOptions(config: AppConfig, entities: DataSourceOptions['entities']): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
  } as const;

  if (config.isPostgres) {
    return {
      ...common,
      type: 'postgres',
      url: config.databaseUrl,
      extra: {
        max: 20,
        connectionTimeoutMillis: 5_000,
        idleTimeoutMillis: 30_000,
        statement_timeout: 15_000,
        application_name: 'maitred',
      },
    };
  }

  const file = resolve(config.sqlitePath);
  mkdirSync(dirname(file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    timeout: 5_000,
    // Prepared statements are kept per SQL text; TypeORM's default of 100 is fewer than the app's
    // distinct statements, so its FIFO cache kept re-preparing the hot ones.
    statementCacheSize: 1_000,
    prepareDatabase: (db: SqliteHandle) => {
      db.pragma('journal_mode = WAL');
      // WAL with synchronous=NORMAL never loses a commit when the process dies (kill -9);
      // only a power cut can drop the last few, which this demo-grade default accepts.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    },
  };
}
