import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { PgListener } from './pg-listener';
import { UnitOfWork } from './unit-of-work';

/** Group commit on a real SQLite file, checked from a second connection that sees only what was committed. */
describe('UnitOfWork on SQLite: group commit', () => {
  let dir: string;
  let dataSource: DataSource;
  let uow: UnitOfWork;
  let observer: Database.Database;
  let statements: string[];

  const committedNames = () =>
    (observer.prepare('SELECT name FROM items ORDER BY name').all() as { name: string }[]).map((row) => row.name);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maitred-uow-'));
    const file = join(dir, 'db.sqlite');
    dataSource = new DataSource({ type: 'better-sqlite3', database: file, entities: [] });
    await dataSource.initialize();
    await dataSource.query('PRAGMA journal_mode = WAL');
    await dataSource.query('CREATE TABLE items (name TEXT PRIMARY KEY)');
    const config = loadConfig({ DATABASE_URL: `sqlite:${file}` });
    uow = new UnitOfWork(dataSource, config, new PgListener(config, dataSource));
    observer = new Database(file, { readonly: true });
    statements = [];
    const runner = dataSource.createQueryRunner();
    const query = runner.query.bind(runner);
    jest.spyOn(runner, 'query').mockImplementation((sql: string, ...rest: unknown[]) => {
      statements.push(sql);
      return (query as (sql: string, ...rest: unknown[]) => Promise<unknown>)(sql, ...rest);
    });
  });

  afterEach(async () => {
    observer.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (name: string) => (tx: { manager: DataSource['manager'] }) =>
    tx.manager.query('INSERT INTO items (name) VALUES (?)', [name]);

  it('runs the units waiting together in one transaction, and a failing unit rolls back only itself', async () => {
    const failure = new Error('b changed its mind');
    const results = await Promise.allSettled([
      uow.run(async (tx) => {
        await insert('a')(tx);
        return 'a done';
      }),
      uow.run(async (tx) => {
        // Partial writes, then a throw: none of them may stay.
        await insert('b1')(tx);
        await insert('b2')(tx);
        throw failure;
      }),
      uow.run(async (tx) => {
        // A constraint violation inside the database, not only a thrown error.
        await insert('c')(tx);
        await insert('c')(tx);
      }),
      uow.run(async (tx) => {
        await insert('d')(tx);
        return 'd done';
      }),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'a done' });
    expect(results[1]).toEqual({ status: 'rejected', reason: failure });
    expect(results[2].status).toBe('rejected');
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(results[3]).toEqual({ status: 'fulfilled', value: 'd done' });
    expect(committedNames()).toEqual(['a', 'd']);
    // One transaction for all four units: one BEGIN, one COMMIT.
    expect(statements.filter((sql) => /^BEGIN/i.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /^COMMIT/i.test(sql))).toHaveLength(1);
  });

  it('fires after-commit callbacks only after the real commit, in order, and never for a unit that failed', async () => {
    const seen: string[] = [];
    const visibleAt: Record<string, string[]> = {};
    const unit = (name: string, fail = false) =>
      uow.run(async (tx) => {
        await insert(name)(tx);
        tx.afterCommit(() => {
          seen.push(name);
          // The whole group is committed when the first callback runs, not just this unit's savepoint.
          visibleAt[name] = committedNames();
        });
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const settled = Promise.allSettled([unit('a'), unit('b', true), unit('c')]);
    const done: string[] = [];
    const [a, b, c] = await settled;
    if (a.status === 'fulfilled') done.push(a.value);
    expect(b.status).toBe('rejected');
    if (c.status === 'fulfilled') done.push(c.value);
    expect(done).toEqual(['a', 'c']);
    expect(seen).toEqual(['a', 'c']);
    expect(visibleAt).toEqual({ a: ['a', 'c'], c: ['a', 'c'] });
  });

  it('resolves a unit only after its callbacks ran, and a read queued behind a group sees it committed', async () => {
    const order: string[] = [];
    const write = uow.run(async (tx) => {
      await insert('x')(tx);
      tx.afterCommit(() => order.push('callback'));
    });
    const read = uow.read(async (manager) => {
      order.push('read');
      return manager.query<{ name: string }[]>('SELECT name FROM items');
    });
    await write.then(() => order.push('resolved'));
    expect(await read).toEqual([{ name: 'x' }]);
    expect(order.indexOf('callback')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('callback')).toBeLessThan(order.indexOf('resolved'));
  });
});
