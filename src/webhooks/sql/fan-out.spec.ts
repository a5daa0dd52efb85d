import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../database/migrations';
import { CLAIM_SQLITE, claimParamsSqlite, DUE_ENDPOINTS_SQLITE, dueParamsSqlite } from './claim';
import { FAN_OUT_HAND_OFF_SQLITE, FAN_OUT_SQLITE, fanOutParams } from './fan-out';

/** The fan-out statement on a migrated SQLite database, with and without the hand-off lease. */
describe('fan-out on SQLite', () => {
  const NOW = '2026-12-02T12:00:00.000Z';
  const LEASE_END = '2026-12-02T12:00:30.000Z';
  const EVENT = { id: 'evt_1', type: 'guest.checked_in', orderingKey: 'gst_1' };
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: MIGRATIONS });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const endpoints: [string, string, number][] = [
      ['ep_a', '[]', 1],
      ['ep_b', '["guest.checked_in"]', 1],
      ['ep_c', '[]', 0],
      ['ep_d', '["guest.left"]', 1],
    ];
    for (const [id, types, enabled] of endpoints) {
      await dataSource.query(
        `INSERT INTO webhook_endpoints (id, url, event_types, enabled, owner_key_id, secret, created_at, updated_at)
         VALUES (?, 'http://127.0.0.1/', ?, ?, 'key', 'whsec_x', ?, ?)`,
        [id, types, enabled, NOW, NOW],
      );
    }
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function run(sql: string, params: unknown[]): Promise<{ id: string; endpoint_id: string }[]> {
    const runner = dataSource.createQueryRunner();
    try {
      return (await runner.query(sql, params, true)).records as { id: string; endpoint_id: string }[];
    } finally {
      await runner.release();
    }
  }

  const leases = () =>
    dataSource.query<{ endpoint_id: string; lease_owner: string | null; lease_expires_at: string | null }[]>(
      'SELECT endpoint_id, lease_owner, lease_expires_at FROM webhook_deliveries ORDER BY endpoint_id',
    );

  it('writes a delivery per enabled, matching endpoint, none of them leased', async () => {
    await run(FAN_OUT_SQLITE, fanOutParams(false, 'dlv_range', EVENT, NOW));
    expect(await leases()).toEqual([
      { endpoint_id: 'ep_a', lease_owner: null, lease_expires_at: null },
      { endpoint_id: 'ep_b', lease_owner: null, lease_expires_at: null },
    ]);
  });

  it('leases only the listed endpoints to the dispatcher, returns every row, and leaves the rest to claims', async () => {
    // ep_c is listed but disabled: listing an endpoint never creates its delivery.
    const lease = { workerId: 'me', endpointIds: ['ep_a', 'ep_c'], leaseExpiresAt: LEASE_END };
    const rows = await run(FAN_OUT_HAND_OFF_SQLITE, fanOutParams(false, 'dlv_range', EVENT, NOW, lease));
    expect(rows.map((row) => row.endpoint_id).sort()).toEqual(['ep_a', 'ep_b']);
    expect(await leases()).toEqual([
      { endpoint_id: 'ep_a', lease_owner: 'me', lease_expires_at: LEASE_END },
      { endpoint_id: 'ep_b', lease_owner: null, lease_expires_at: null },
    ]);
    const due = await dataSource.query<{ endpoint_id: string }[]>(DUE_ENDPOINTS_SQLITE, dueParamsSqlite(NOW));
    expect(due.map((row) => row.endpoint_id)).toEqual(['ep_b']);
    const claimed = await run(
      CLAIM_SQLITE,
      claimParamsSqlite(
        [
          ['ep_a', 4],
          ['ep_b', 4],
        ],
        NOW,
        'other',
        LEASE_END,
      ),
    );
    expect(claimed.map((row) => row.endpoint_id)).toEqual(['ep_b']);
  });

  describe('per_guest endpoints', () => {
    beforeEach(async () => {
      await dataSource.query(`UPDATE webhook_endpoints SET ordering = 'per_guest' WHERE id = 'ep_b'`);
      await dataSource.query(
        `INSERT INTO events (id, type, "timestamp", data) VALUES ('evt_0', 'guest.checked_in', ?, '{}'), ('evt_1', 'guest.checked_in', ?, '{}')`,
        [NOW, NOW],
      );
    });

    const ordering = () =>
      dataSource.query<
        { endpoint_id: string; ordering_key: string | null; ordering_seq: number | null; lease_owner: string | null }[]
      >('SELECT endpoint_id, ordering_key, ordering_seq, lease_owner FROM webhook_deliveries ORDER BY endpoint_id');

    it("stores the event's key and seq on per_guest rows only", async () => {
      await run(FAN_OUT_SQLITE, fanOutParams(false, 'dlv_range', EVENT, NOW));
      expect(await ordering()).toEqual([
        { endpoint_id: 'ep_a', ordering_key: null, ordering_seq: null, lease_owner: null },
        { endpoint_id: 'ep_b', ordering_key: 'gst_1', ordering_seq: 2, lease_owner: null },
      ]);
    });

    it('stores neither for an event without a key', async () => {
      await run(FAN_OUT_SQLITE, fanOutParams(false, 'dlv_range', { ...EVENT, orderingKey: null }, NOW));
      expect((await ordering()).map((row) => [row.ordering_key, row.ordering_seq])).toEqual([
        [null, null],
        [null, null],
      ]);
    });

    it('never hands a per_guest row off, even when listed: it goes through the claim', async () => {
      const lease = { workerId: 'me', endpointIds: ['ep_a', 'ep_b'], leaseExpiresAt: LEASE_END };
      const rows = await run(FAN_OUT_HAND_OFF_SQLITE, fanOutParams(false, 'dlv_range', EVENT, NOW, lease));
      expect(rows).toHaveLength(2);
      expect(await ordering()).toEqual([
        { endpoint_id: 'ep_a', ordering_key: null, ordering_seq: null, lease_owner: 'me' },
        { endpoint_id: 'ep_b', ordering_key: 'gst_1', ordering_seq: 2, lease_owner: null },
      ]);
    });
  });
});
