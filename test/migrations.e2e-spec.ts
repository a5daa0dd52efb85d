import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { checkIn, DIST_DIR, ON_POSTGRES, removeDir, startApp, tempDir, testDatabaseUrl } from './support/app';

/**
 * The full migration set, exactly as the built app runs it (its data source options, its
 * list), goes up, down to nothing and up again on the dialect of this project: SQLite in `e2e`,
 * PostgreSQL in `e2e-postgres`. The schema after the second `up` must be the first one's, and
 * the app must run on it, with data in the tables when they are dropped.
 */

/* eslint-disable @typescript-eslint/no-require-imports */
const { loadConfig } = require(join(DIST_DIR, 'config', 'app-config')) as typeof import('../src/config/app-config');
const { buildDataSourceOptions } = require(
  join(DIST_DIR, 'database', 'data-source-options'),
) as typeof import('../src/database/data-source-options');
const { MIGRATIONS } = require(join(DIST_DIR, 'database', 'migrations')) as typeof import('../src/database/migrations');
/* eslint-enable @typescript-eslint/no-require-imports */

jest.setTimeout(60_000);

/** Tables the migration machinery owns, not our migrations. */
const BOOKKEEPING = new Set(['migrations', 'typeorm_metadata']);

/** Table name → its columns and indexes (a name not in it has no table). */
type Schema = Partial<Record<string, { columns: string[]; indexes: string[] }>>;

/** Every table with its columns (name, type, nullability) and every index, in a stable order. */
async function schemaOf(dataSource: DataSource): Promise<Schema> {
  const schema: Schema = {};
  if (ON_POSTGRES) {
    const columns: {
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
      character_maximum_length: number | null;
    }[] = await dataSource.query(
      `SELECT table_name, column_name, data_type, is_nullable, character_maximum_length
         FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
    );
    for (const c of columns) {
      if (BOOKKEEPING.has(c.table_name)) continue;
      (schema[c.table_name] ??= { columns: [], indexes: [] }).columns.push(
        `${c.column_name} ${c.data_type}${c.character_maximum_length ? `(${c.character_maximum_length})` : ''} ${c.is_nullable === 'YES' ? 'null' : 'not null'}`,
      );
    }
    const indexes: { tablename: string; indexdef: string }[] = await dataSource.query(
      `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname`,
    );
    for (const i of indexes) {
      if (BOOKKEEPING.has(i.tablename)) continue;
      // Generated constraint names differ between runs only if the definition does.
      (schema[i.tablename] ??= { columns: [], indexes: [] }).indexes.push(i.indexdef);
    }
    return schema;
  }
  const tables: { name: string }[] = await dataSource.query(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  );
  for (const { name } of tables) {
    if (BOOKKEEPING.has(name)) continue;
    const columns: { name: string; type: string; notnull: number; pk: number }[] = await dataSource.query(
      `PRAGMA table_info("${name}")`,
    );
    const indexes: { sql: string | null }[] = await dataSource.query(
      `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name`,
      [name],
    );
    schema[name] = {
      columns: columns.map((c) => `${c.name} ${c.type} ${c.notnull ? 'not null' : 'null'}${c.pk ? ' pk' : ''}`).sort(),
      indexes: indexes.map((i) => i.sql ?? '(automatic)'),
    };
  }
  return schema;
}

describe(`migrations on ${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'}: the full set up, down and up again`, () => {
  const dir = tempDir('maitred-migrations-');
  let dataSource: DataSource;

  const open = async () => {
    const config = loadConfig({ DATABASE_URL: await testDatabaseUrl(dir) });
    dataSource = new DataSource(buildDataSourceOptions(config, []));
    await dataSource.initialize();
  };

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when the test failed before open()
    if (dataSource?.isInitialized) await dataSource.destroy();
    removeDir(dir);
  });

  it('applies every migration in order, undoes each one, and applies them again to the same schema', async () => {
    await open();
    expect(await schemaOf(dataSource)).toEqual({});

    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    const first = await schemaOf(dataSource);
    for (const table of [
      'tables',
      'guests',
      'offers',
      'events',
      'api_keys',
      'idempotency_records',
      'webhook_endpoints',
      'webhook_deliveries',
      'webhook_attempts',
    ]) {
      expect(first[table]?.columns.length ?? 0).toBeGreaterThan(0);
    }
    // Nothing is pending any more: a second run applies nothing.
    expect(await dataSource.runMigrations({ transaction: 'each' })).toEqual([]);
    await dataSource.destroy();

    // The app starts on the migrated database (applying nothing) and writes to it.
    const app = await startApp({}, dir);
    try {
      const guest = await checkIn(app, { name: 'Before the rollback' });
      expect(guest.position).toBe(1);
      // An idempotency record, so undoing the status_code drop re-adds the column to a table with rows.
      const keyed = await app.http.post(
        '/api/guests',
        { name: 'Keyed', partySize: 2 },
        { headers: { 'Idempotency-Key': 'k-1' } },
      );
      expect(keyed.status).toBe(201);
      expect((await app.http.get('/api/tables')).body).toHaveLength(12);
    } finally {
      await app.close();
    }

    // Down one at a time, newest first, with data in the tables: each step removes something.
    await open();
    let previous = await schemaOf(dataSource);
    for (let left = MIGRATIONS.length; left > 0; left--) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      const executed: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
      expect(executed.map((m) => m.name)).toEqual(MIGRATIONS.slice(0, left - 1).map((m) => new m().name));
      const now = await schemaOf(dataSource);
      const dialectSpecific = JSON.stringify(now) === JSON.stringify(previous);
      // A migration may be a no-op on one dialect (the Socket.IO table exists only on PostgreSQL).
      if (dialectSpecific) expect(ON_POSTGRES).toBe(false);
      previous = now;
    }
    expect(await schemaOf(dataSource)).toEqual({});

    // Up again: the very same schema as the first time.
    const reapplied = await dataSource.runMigrations({ transaction: 'each' });
    expect(reapplied).toHaveLength(MIGRATIONS.length);
    expect(await schemaOf(dataSource)).toEqual(first);
    await dataSource.destroy();

    // And the app runs on it again (a fresh floor: the rollback dropped the old one).
    const again = await startApp({}, dir);
    try {
      expect((await checkIn(again, { name: 'After the rollback' })).position).toBe(1);
    } finally {
      await again.close();
    }
  });
});
