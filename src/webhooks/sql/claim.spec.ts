import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../database/migrations';
import { CLAIM_SQLITE, claimParamsSqlite, DUE_ENDPOINTS_SQLITE, dueParamsSqlite } from './claim';

/** The dispatcher's two SQLite statements on a migrated database: which endpoints have work, and one claim for all. */
describe('due endpoints and the one-statement claim on SQLite', () => {
  const NOW = '2026-12-02T12:00:00.000Z';
  const PAST = '2026-12-02T11:00:00.000Z';
  const FUTURE = '2026-12-02T13:00:00.000Z';
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: MIGRATIONS });
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function endpoint(id: string): Promise<void> {
    await dataSource.query(
      `INSERT INTO webhook_endpoints (id, url, event_types, owner_key_id, secret, created_at, updated_at)
       VALUES (?, 'http://127.0.0.1/', '[]', 'key', 'whsec_x', ?, ?)`,
      [id, PAST, PAST],
    );
  }

  async function delivery(
    id: string,
    endpointId: string,
    fields: { status?: string; nextAttemptAt?: string | null; leaseExpiresAt?: string | null } = {},
  ): Promise<void> {
    await dataSource.query(
      `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, next_attempt_at, lease_owner, lease_expires_at, created_at)
       VALUES (?, 'evt', ?, 'guest.checked_in', ?, ?, ?, ?, ?)`,
      [
        id,
        endpointId,
        fields.status ?? 'pending',
        fields.nextAttemptAt === undefined ? PAST : fields.nextAttemptAt,
        fields.leaseExpiresAt ? 'other' : null,
        fields.leaseExpiresAt ?? null,
        PAST,
      ],
    );
  }

  const due = async () =>
    (await dataSource.query<{ endpoint_id: string }[]>(DUE_ENDPOINTS_SQLITE, dueParamsSqlite(NOW))).map((row) => row.endpoint_id);

  async function claim(wanted: [string, number][]): Promise<string[]> {
    const runner = dataSource.createQueryRunner();
    try {
      const result = await runner.query(CLAIM_SQLITE, claimParamsSqlite(wanted, NOW, 'me', FUTURE), true);
      return (result.records as { id: string }[]).map((row) => row.id).sort();
    } finally {
      await runner.release();
    }
  }

  it('finds only endpoints with due, unleased pending work, in id order', async () => {
    for (const id of ['ep_a', 'ep_b', 'ep_c', 'ep_d', 'ep_e', 'ep_f']) await endpoint(id);
    await delivery('d1', 'ep_c');
    await delivery('d2', 'ep_a');
    await delivery('d3', 'ep_a');
    await delivery('d4', 'ep_b', { status: 'succeeded', nextAttemptAt: null });
    await delivery('d5', 'ep_d', { nextAttemptAt: FUTURE });
    await delivery('d6', 'ep_e', { leaseExpiresAt: FUTURE });
    // An expired lease is free again.
    await delivery('d7', 'ep_f', { leaseExpiresAt: PAST });
    expect(await due()).toEqual(['ep_a', 'ep_c', 'ep_f']);
  });

  it('finds nothing when nothing is due', async () => {
    await endpoint('ep_a');
    await delivery('d1', 'ep_a', { status: 'failed', nextAttemptAt: null });
    expect(await due()).toEqual([]);
  });

  it("claims each endpoint's oldest due rows up to its own limit, in one statement, and leases them", async () => {
    for (const id of ['ep_a', 'ep_b', 'ep_c']) await endpoint(id);
    for (let i = 0; i < 5; i++) await delivery(`a${i}`, 'ep_a', { nextAttemptAt: `2026-12-02T11:0${i}:00.000Z` });
    for (let i = 0; i < 3; i++) await delivery(`b${i}`, 'ep_b', { nextAttemptAt: `2026-12-02T11:0${5 - i}:00.000Z` });
    await delivery('b-leased', 'ep_b', { nextAttemptAt: '2026-12-02T10:00:00.000Z', leaseExpiresAt: FUTURE });
    await delivery('b-later', 'ep_b', { nextAttemptAt: FUTURE });
    await delivery('c0', 'ep_c');

    expect(
      await claim([
        ['ep_a', 3],
        ['ep_b', 1],
      ]),
    ).toEqual(['a0', 'a1', 'a2', 'b2']);
    const leased = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM webhook_deliveries WHERE lease_owner = 'me' AND lease_expires_at = ? ORDER BY id`,
      [FUTURE],
    );
    expect(leased.map((row) => row.id)).toEqual(['a0', 'a1', 'a2', 'b2']);
    // Leased rows are not claimed twice; the rest follow, and an endpoint not asked for keeps its work.
    expect(
      await claim([
        ['ep_a', 5],
        ['ep_b', 5],
      ]),
    ).toEqual(['a3', 'a4', 'b0', 'b1']);
    expect(await due()).toEqual(['ep_c']);
  });
});
