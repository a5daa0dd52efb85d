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
    fields: {
      status?: string;
      nextAttemptAt?: string | null;
      leaseExpiresAt?: string | null;
      key?: string;
      seq?: number;
    } = {},
  ): Promise<void> {
    await dataSource.query(
      `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, next_attempt_at, lease_owner, lease_expires_at, created_at, ordering_key, ordering_seq)
       VALUES (?, 'evt', ?, 'guest.checked_in', ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        endpointId,
        fields.status ?? 'pending',
        fields.nextAttemptAt === undefined ? PAST : fields.nextAttemptAt,
        fields.leaseExpiresAt ? 'other' : null,
        fields.leaseExpiresAt ?? null,
        PAST,
        fields.key ?? null,
        fields.seq ?? null,
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

  describe('per-guest ordering: only the head of each key', () => {
    type Row = [
      id: string,
      key: string | null,
      seq: number | null,
      state: 'due' | 'leased' | 'retrying' | 'succeeded' | 'failed',
    ];
    const fieldsOf = (state: Row[3]) =>
      ({
        due: {},
        leased: { leaseExpiresAt: FUTURE },
        retrying: { nextAttemptAt: FUTURE },
        succeeded: { status: 'succeeded', nextAttemptAt: null },
        failed: { status: 'failed', nextAttemptAt: null },
      })[state];
    const cases: [string, Row[], string[]][] = [
      [
        'heads of two keys, not their second rows',
        [
          ['g1a', 'g1', 1, 'due'],
          ['g1b', 'g1', 3, 'due'],
          ['g2a', 'g2', 2, 'due'],
          ['g2b', 'g2', 4, 'due'],
        ],
        ['g1a', 'g2a'],
      ],
      [
        'a leased head holds back its key only',
        [
          ['g1a', 'g1', 1, 'leased'],
          ['g1b', 'g1', 2, 'due'],
          ['g2a', 'g2', 3, 'due'],
        ],
        ['g2a'],
      ],
      [
        'a head waiting for its retry holds back its key only',
        [
          ['g1a', 'g1', 1, 'retrying'],
          ['g1b', 'g1', 2, 'due'],
          ['g2a', 'g2', 3, 'due'],
        ],
        ['g2a'],
      ],
      [
        'a succeeded head releases the next',
        [
          ['g1a', 'g1', 1, 'succeeded'],
          ['g1b', 'g1', 2, 'due'],
          ['g1c', 'g1', 3, 'due'],
        ],
        ['g1b'],
      ],
      [
        'a failed (exhausted) head releases the next',
        [
          ['g1a', 'g1', 1, 'failed'],
          ['g1b', 'g1', 2, 'due'],
        ],
        ['g1b'],
      ],
      [
        'rows without a key are not held back',
        [
          ['g1a', 'g1', 1, 'leased'],
          ['n1', null, null, 'due'],
          ['n2', null, null, 'due'],
        ],
        ['n1', 'n2'],
      ],
      [
        'feed order is seq, not the row order',
        [
          ['late', 'g1', 9, 'due'],
          ['early', 'g1', 5, 'due'],
        ],
        ['early'],
      ],
      [
        'one event twice (a replay): the lower id first',
        [
          ['r1', 'g1', 5, 'due'],
          ['r2', 'g1', 5, 'due'],
        ],
        ['r1'],
      ],
    ];
    it.each(cases)('%s', async (_, rows, claimed) => {
      await endpoint('ep_a');
      for (const [id, key, seq, state] of rows) {
        await delivery(id, 'ep_a', { ...fieldsOf(state), ...(key === null ? {} : { key, seq: seq ?? undefined }) });
      }
      expect(await claim([['ep_a', 16]])).toEqual(claimed.sort());
    });

    it('the same key at another endpoint is its own chain', async () => {
      await endpoint('ep_a');
      await endpoint('ep_b');
      await delivery('a1', 'ep_a', { key: 'g1', seq: 1, leaseExpiresAt: FUTURE });
      await delivery('b1', 'ep_b', { key: 'g1', seq: 1 });
      expect(
        await claim([
          ['ep_a', 4],
          ['ep_b', 4],
        ]),
      ).toEqual(['b1']);
    });

    it('probes the ordering index for the earlier row', async () => {
      const plan = await dataSource.query<{ detail: string }[]>(
        `EXPLAIN QUERY PLAN ${CLAIM_SQLITE}`,
        claimParamsSqlite([['ep_a', 4]], NOW, 'me', FUTURE),
      );
      expect(plan.map((row) => row.detail).join('\n')).toContain('idx_webhook_deliveries_ordering');
    });
  });
});
