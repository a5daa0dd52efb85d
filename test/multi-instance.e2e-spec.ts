import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import { ADMIN_KEY, ON_POSTGRES, removeDir, tempDir, testDatabaseUrl } from './support/app';
import { Http } from './support/http';
import { Instance, killAllInstances, launchInstance } from './support/instances';
import { eventually, guestIdOf, Receiver, ReceivedWebhook } from './support/receiver';
import { Recorder } from './support/sockets';

/**
 * Scale-out: two and three `node dist/main` instances on one PostgreSQL database, as behind a
 * load balancer. Requests are spread over them; the guarantees must hold as for one instance:
 * every committed event reaches every matching endpoint, a delivery succeeds once unless an
 * instance died holding it, live pushes reach clients of every instance, and the waiting line
 * has one gap-free order, the feed's. Also measures delivery throughput with one and with two
 * instances and the check-in → receipt latency (printed, not asserted).
 *
 * Only meaningful on PostgreSQL (SQLite is one instance by design): the e2e project skips it.
 */

const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

jest.setTimeout(90_000);

const LEASE = '3s';
const BENCH_CHECK_INS = 200;
const LATENCY_CHECK_INS = 150;
/** How long an instance may use its cached list of enabled endpoints (the dispatcher's ENDPOINT_CACHE_MS, plus margin). */
const ENDPOINT_CACHE_MS = 2_500;

interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: { guest?: { id: string }; [key: string]: unknown };
}

interface GuestView {
  id: string;
  token: string;
  status: string;
  position: number | null;
  partySize: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A receiver that holds every request until `open()`, then answers 204 (after `delayMs`). */
function gated(receiver: Receiver, delayMs = 0): { open(): void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  receiver.respond = async (_request, res) => {
    await gate;
    if (delayMs > 0) await sleep(delayMs);
    if (!res.destroyed) res.writeHead(204).end();
  };
  return { open: () => release() };
}

/** Every feed event after `after` (all pages), in feed order. */
async function feedAfter(http: Http, after: string | null, types?: string): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  let cursor = after;
  for (;;) {
    const query = new URLSearchParams({ limit: '500' });
    if (cursor) query.set('after', cursor);
    if (types) query.set('types', types);
    const page = await http.get<{ data: FeedEvent[]; next: string | null }>(`/api/events?${query.toString()}`, {
      token: ADMIN_KEY,
    });
    if (page.status !== 200) throw new Error(`feed: ${page.status} ${page.text}`);
    events.push(...page.body.data);
    if (page.body.data.length === 0) return events;
    cursor = page.body.next;
  }
}

async function lastEventId(http: Http): Promise<string | null> {
  const all = await feedAfter(http, null);
  return all.length > 0 ? all[all.length - 1].id : null;
}

async function checkInVia(instance: Instance, name: string, partySize = 2): Promise<GuestView> {
  const result = await instance.http.post<GuestView>('/api/guests', { name, partySize });
  if (result.status !== 201) throw new Error(`check-in via ${instance.name}: ${result.status} ${result.text}`);
  return result.body;
}

/** Runs `count` jobs with at most `concurrency` at a time; results in job order. */
async function pool<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await job(i);
      }
    }),
  );
  return results;
}

function counts(received: ReceivedWebhook[]): Map<string, number> {
  const byId = new Map<string, number>();
  for (const r of received) byId.set(r.id, (byId.get(r.id) ?? 0) + 1);
  return byId;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describeOnPostgres('several instances on one PostgreSQL database', () => {
  let dir: string;
  const checkIns = new Receiver(); // endpoint e1: guest.checked_in only
  const everything = new Receiver(); // endpoint e2: every event type
  const slow = new Receiver(); // endpoint e3: held while an instance is killed
  const receivers = [checkIns, everything, slow];
  const sockets: Socket[] = [];
  let db: Client;
  let env: Record<string, string>;
  let a: Instance;
  let b: Instance;
  let c: Instance;
  let endpointsKey: string;
  /** The feed cursor when e1 and e2 started receiving. */
  let cursorAtStart: string | null;
  const endpointIds = new Map<Receiver, string>();
  /** (endpoint id, event id) pairs an instance held when it was killed: the only allowed duplicates. */
  const crashed = new Set<string>();

  async function addEndpoint(via: Instance, receiver: Receiver, eventTypes: string[] = []): Promise<string> {
    const created = await via.http.post<{ id: string; secret: string }>(
      '/api/webhooks/endpoints',
      { url: receiver.url, eventTypes },
      { token: endpointsKey },
    );
    expect(created.status).toBe(201);
    receiver.secrets = [created.body.secret];
    endpointIds.set(receiver, created.body.id);
    return created.body.id;
  }

  function open(instance: Instance, namespace: string, events: string[], auth?: Record<string, unknown>) {
    return new Promise<Recorder>((resolve, reject) => {
      const socket = io(`${instance.baseUrl}${namespace}`, {
        auth,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        autoConnect: false,
      });
      sockets.push(socket);
      // Listeners before connecting: the first push may arrive with the connect ack.
      const recorder = new Recorder(socket, events);
      socket.once('connect', () => resolve(recorder));
      socket.once('connect_error', reject);
      socket.connect();
    });
  }

  beforeAll(async () => {
    dir = tempDir('maitred-multi-');
    await Promise.all(receivers.map((r) => r.start()));
    const databaseUrl = await testDatabaseUrl(dir);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    env = {
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_ALLOWED_HOSTS: receivers.map((r) => r.hostPort).join(','),
      WEBHOOK_LEASE: LEASE,
      WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s',
    };
    // The first creates the schema and the demo floor; the others start together against it.
    a = await launchInstance('A', dir, env);
    [b, c] = await Promise.all([launchInstance('B', dir, env), launchInstance('C', dir, env)]);
    const key = await a.http.post<{ key: string }>(
      '/api/keys',
      { name: 'integrator', scopes: ['endpoints'] },
      { token: ADMIN_KEY },
    );
    expect(key.status).toBe(201);
    endpointsKey = key.body.key;
    await addEndpoint(a, checkIns, ['guest.checked_in']);
    await addEndpoint(b, everything);
    cursorAtStart = await lastEventId(a.http);
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await killAllInstances();
    await Promise.all(receivers.map((r) => r.stop()));
    await db?.end();
    if (dir) removeDir(dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('delivers check-ins spread over three instances to both matching endpoints, each webhook-id once', async () => {
    const instances = [a, b, c];
    const guests = await pool(45, 6, (i) => checkInVia(instances[i % 3], `Round robin ${i}`, 1 + (i % 6)));
    const feed = await feedAfter(a.http, cursorAtStart, 'guest.checked_in');
    expect(feed.map((e) => e.data.guest!.id).sort()).toEqual(guests.map((g) => g.id).sort());
    const eventIds = feed.map((e) => e.id);

    for (const receiver of [checkIns, everything]) {
      await eventually(
        () => {
          const got = new Set(receiver.received.map((r) => r.id));
          return Promise.resolve(eventIds.every((id) => got.has(id)));
        },
        15_000,
        `all ${eventIds.length} check-ins at ${receiver.url}`,
      );
    }
    // Every delivery recorded as succeeded at the first attempt, by whichever instance claimed it.
    for (const receiver of [checkIns, everything]) {
      const endpointId = endpointIds.get(receiver)!;
      const deliveries = await eventually(
        async () => {
          const list = await a.http.get<{ eventId: string; attemptCount: number }[]>(
            `/api/webhooks/endpoints/${endpointId}/deliveries?status=succeeded&limit=500`,
            { token: endpointsKey },
          );
          return list.body.length === eventIds.length ? list.body : undefined;
        },
        10_000,
        'deliveries recorded as succeeded',
      );
      expect(deliveries.every((d) => d.attemptCount === 1)).toBe(true);
      expect(new Set(deliveries.map((d) => d.eventId))).toEqual(new Set(eventIds));
    }
    for (const receiver of [checkIns, everything]) {
      for (const r of receiver.received) {
        expect(r.verified).toBe(true);
        expect(r.payload.type).toBe('guest.checked_in');
      }
      // No crash yet: not a single duplicate.
      expect([...counts(receiver.received).values()].every((n) => n === 1)).toBe(true);
      expect(receiver.received).toHaveLength(eventIds.length);
    }
  });

  it('pushes a seat made on instance B to /floor, /staff and /guest clients of instance A', async () => {
    const guest = await checkInVia(c, 'Seated across instances', 2);
    const floor = await open(a, '/floor', ['availability']);
    const staff = await open(a, '/staff', ['event', 'waitlist'], { token: ADMIN_KEY });
    const own = await open(a, '/guest', ['status'], { guestId: guest.id, token: guest.token });
    await floor.waitFor('availability');
    await own.waitFor('status', (s: GuestView) => s.status === 'waiting');

    const tables = (await b.http.get<{ id: string; capacity: number; status: string }[]>('/api/tables')).body;
    const table = tables.find((t) => t.status === 'free' && t.capacity >= 2)!;
    const seated = await b.http.post(`/api/guests/${guest.id}/seat`, { tableId: table.id }, { token: ADMIN_KEY });
    expect(seated.status).toBe(200);

    const availability = await floor.waitFor<{ tables: { id: string; status: string }[] }>('availability', (p) =>
      p.tables.some((t) => t.id === table.id && t.status === 'occupied'),
    );
    expect(availability.tables.find((t) => t.id === table.id)!.status).toBe('occupied');
    const event = await staff.waitFor<FeedEvent>('event', (e) => e.type === 'guest.seated' && e.data.guest?.id === guest.id);
    expect((event.data as { table: { id: string } }).table.id).toBe(table.id);
    await staff.waitFor<GuestView[]>('waitlist', (list) => !list.some((g) => g.id === guest.id));
    await own.waitFor<GuestView>('status', (s) => s.status === 'seated');
  });

  it('keeps one gap-free, duplicate-free waiting line in feed order under concurrent check-ins on every instance', async () => {
    const before = (await a.http.get<GuestView[]>('/api/guests?status=waiting&limit=500', { token: ADMIN_KEY })).body;
    const cursor = await lastEventId(a.http);
    const instances = [a, b, c];
    // All at once: the instances race for the same places in line.
    const batch = await Promise.all(Array.from({ length: 40 }, (_, i) => checkInVia(instances[i % 3], `Rush ${i}`, 1 + (i % 4))));

    // Each was told a distinct place, exactly the places after the line as it stood.
    const told = batch.map((g) => g.position!).sort((x, y) => x - y);
    expect(told).toEqual(Array.from({ length: 40 }, (_, i) => before.length + 1 + i));

    const line = (await b.http.get<GuestView[]>('/api/guests?status=waiting&limit=500', { token: ADMIN_KEY })).body;
    expect(line.map((g) => g.position)).toEqual(line.map((_, i) => i + 1));
    expect(new Set(line.map((g) => g.id)).size).toBe(line.length);
    expect(line).toHaveLength(before.length + 40);
    // The place told at check-in is the place in the line (nobody left since), read on any instance.
    const place = new Map(line.map((g) => [g.id, g.position]));
    for (const guest of batch) expect(place.get(guest.id)).toBe(guest.position);

    // The line's order is the feed's (commit) order of the check-ins.
    const feedOrder = (await feedAfter(c.http, cursor, 'guest.checked_in')).map((e) => e.data.guest!.id);
    expect(line.slice(before.length).map((g) => g.id)).toEqual(feedOrder);
    const everyCheckIn = (await feedAfter(c.http, null, 'guest.checked_in')).map((e) => e.data.guest!.id);
    const waiting = new Set(line.map((g) => g.id));
    expect(everyCheckIn.filter((id) => waiting.has(id))).toEqual(line.map((g) => g.id));
  });

  it('loses nothing when an instance is SIGKILLed mid-delivery: its leased deliveries are taken over after the lease', async () => {
    const gate = gated(slow, 100);
    // Created through C, so C knows the endpoint at once (the others within their 2 s endpoint cache).
    const slowId = await addEndpoint(c, slow, ['guest.checked_in']);
    const cursor = await lastEventId(a.http);
    const instances = [a, b, c];
    const guests = await pool(24, 6, (i) => checkInVia(instances[i % 3], `Crash ${i}`, 1 + (i % 6)));
    // On PostgreSQL the feed shows only events below the oldest transaction still in flight (commit
    // order is read, not enforced), so a committed check-in can wait there behind another
    // instance's open transaction for a moment.
    const expected = await eventually(
      async () => {
        const ids = (await feedAfter(a.http, cursor, 'guest.checked_in')).map((e) => e.id);
        return ids.length >= guests.length ? ids : null;
      },
      10_000,
      'every check-in in the feed',
    );
    expect(expected).toHaveLength(guests.length);

    // Wait until C holds deliveries to the slow receiver (leased, requests sent and unanswered).
    const ownedByC = `%:${c.pid}:%`;
    await eventually(
      async () => {
        const held = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending' AND lease_owner LIKE $2",
          [slowId, ownedByC],
        );
        return held.rows[0].n > 0 && slow.received.length > 0;
      },
      10_000,
      'C to hold deliveries to the slow receiver',
    );

    await c.kill();
    const killedAt = Date.now();
    // What C held when it died, read after its death so nothing it claimed is missed.
    const orphans = (
      await db.query<{ id: string; event_id: string; endpoint_id: string; lease_expires_at: string }>(
        "SELECT id, event_id, endpoint_id, lease_expires_at FROM webhook_deliveries WHERE status = 'pending' AND lease_owner LIKE $1",
        [ownedByC],
      )
    ).rows;
    expect(orphans.some((o) => o.endpoint_id === slowId)).toBe(true);
    for (const orphan of orphans) crashed.add(`${orphan.endpoint_id}/${orphan.event_id}`);
    gate.open();

    // Everything arrives at the slow receiver, C's share included.
    await eventually(
      () => {
        const got = new Set(
          slow.received.filter((r) => r.receivedAt >= killedAt || !crashed.has(`${slowId}/${r.id}`)).map((r) => r.id),
        );
        return Promise.resolve(expected.every((id) => got.has(id)));
      },
      30_000,
      'every check-in at the slow receiver after the kill',
    );

    // C's deliveries were attempted again only once their lease had run out (same clock: same machine).
    const receiverOf = new Map([...endpointIds].map(([receiver, id]) => [id, receiver]));
    for (const orphan of orphans) {
      const receiver = receiverOf.get(orphan.endpoint_id)!;
      const retaken = await receiver.waitFor((r) => r.id === orphan.event_id && r.receivedAt >= killedAt, 30_000);
      expect(retaken.receivedAt).toBeGreaterThanOrEqual(Date.parse(orphan.lease_expires_at) - 50);
      expect(retaken.receivedAt - killedAt).toBeLessThan(30_000);
    }

    // The delivery log agrees: every delivery to the slow endpoint succeeded, each attempt recorded once.
    const recorded = await eventually(
      async () => {
        const rows = await db.query<{ status: string; attempt_count: number }>(
          'SELECT status, attempt_count FROM webhook_deliveries WHERE endpoint_id = $1',
          [slowId],
        );
        return rows.rows.length === expected.length && rows.rows.every((r) => r.status === 'succeeded') ? rows.rows : undefined;
      },
      15_000,
      'slow endpoint deliveries recorded as succeeded',
    );
    expect(recorded.every((r) => r.attempt_count === 1)).toBe(true);
    console.log(
      `multi-instance crash: killed C holding ${orphans.length} leased deliveries ` +
        `(${orphans.filter((o) => o.endpoint_id === slowId).length} to the slow receiver); all re-sent after their lease (${LEASE})`,
    );
  });

  it('sent every event to every matching endpoint, and no webhook-id twice to one endpoint except what the killed instance held', async () => {
    const all = await feedAfter(a.http, cursorAtStart);
    const wanted = new Map<Receiver, string[]>([
      [checkIns, all.filter((e) => e.type === 'guest.checked_in').map((e) => e.id)],
      [everything, all.map((e) => e.id)],
    ]);
    for (const [receiver, ids] of wanted) {
      await eventually(
        () => {
          const got = new Set(receiver.received.map((r) => r.id));
          return Promise.resolve(ids.every((id) => got.has(id)));
        },
        15_000,
        `every matching event at ${receiver.url}`,
      );
    }
    for (const receiver of [checkIns, everything, slow]) {
      const endpointId = endpointIds.get(receiver)!;
      for (const [id, n] of counts(receiver.received)) {
        if (n > 1)
          expect(crashed.has(`${endpointId}/${id}`) ? 'held by the killed instance' : `${id} received ${n} times`).toBe(
            'held by the killed instance',
          );
      }
      for (const r of receiver.received) expect(r.verified).toBe(true);
    }
  });
});

describeOnPostgres('delivery throughput and latency with one and two instances (measured, not asserted)', () => {
  let dir: string;
  const receivers = [new Receiver(), new Receiver(), new Receiver()];
  let env: Record<string, string>;
  let endpointsKey: string;
  const instances: Instance[] = [];

  beforeAll(async () => {
    dir = tempDir('maitred-bench-');
    await Promise.all(receivers.map((r) => r.start()));
    env = {
      DATABASE_URL: await testDatabaseUrl(dir),
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_ALLOWED_HOSTS: receivers.map((r) => r.hostPort).join(','),
      WEBHOOK_LEASE: LEASE,
    };
    instances.push(await launchInstance('A', dir, env));
    const key = await instances[0].http.post<{ key: string }>(
      '/api/keys',
      { name: 'bench', scopes: ['endpoints'] },
      { token: ADMIN_KEY },
    );
    endpointsKey = key.body.key;
  });

  afterAll(async () => {
    await killAllInstances();
    await Promise.all(receivers.map((r) => r.stop()));
    if (dir) removeDir(dir);
  });

  /** An endpoint for `receiver` that every running instance knows about; returns a function disabling it. */
  async function endpointFor(receiver: Receiver): Promise<() => Promise<void>> {
    const created = await instances[0].http.post<{ id: string; secret: string }>(
      '/api/webhooks/endpoints',
      { url: receiver.url, eventTypes: ['guest.checked_in'] },
      { token: endpointsKey },
    );
    expect(created.status).toBe(201);
    receiver.secrets = [created.body.secret];
    const createdAt = Date.now();
    return async () => {
      // The other instances must have seen it before timing starts, and must see it disabled after.
      await sleep(Math.max(0, ENDPOINT_CACHE_MS - (Date.now() - createdAt)));
      const patched = await instances[0].http.patch(
        `/api/webhooks/endpoints/${created.body.id}`,
        { enabled: false },
        { token: endpointsKey },
      );
      expect(patched.status).toBe(200);
    };
  }

  /** Queues BENCH_CHECK_INS deliveries behind a receiver that holds every request, then times the drain. */
  async function drain(receiver: Receiver): Promise<number> {
    const gate = gated(receiver);
    const disable = await endpointFor(receiver);
    const createdAt = Date.now();
    await pool(BENCH_CHECK_INS, 8, (i) => checkInVia(instances[i % instances.length], `Bench ${i}`, 1 + (i % 8)));
    await sleep(Math.max(0, ENDPOINT_CACHE_MS - (Date.now() - createdAt)));
    const opened = Date.now();
    gate.open();
    await eventually(
      () => Promise.resolve(new Set(receiver.received.map((r) => r.id)).size >= BENCH_CHECK_INS),
      60_000,
      'the queued deliveries',
    );
    const perSecond = BENCH_CHECK_INS / ((Date.now() - opened) / 1000);
    await disable();
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    return perSecond;
  }

  it('drains a queue of deliveries with one and with two instances, and times check-in → receipt', async () => {
    const one = await drain(receivers[0]);
    instances.push(await launchInstance('B', dir, env));
    const two = await drain(receivers[1]);

    // Latency: paced check-ins over both instances to an endpoint that answers at once.
    const latency = receivers[2];
    await endpointFor(latency);
    await sleep(ENDPOINT_CACHE_MS);
    const sentAt = new Map<string, number>();
    await pool(LATENCY_CHECK_INS, 2, async (i) => {
      const started = Date.now();
      const guest = await checkInVia(instances[i % 2], `Latency ${i}`, 1 + (i % 8));
      sentAt.set(guest.id, started);
    });
    const firstReceipt = new Map<string, number>();
    await eventually(
      () => {
        for (const r of latency.received) {
          const id = guestIdOf(r);
          if (id && !firstReceipt.has(id)) firstReceipt.set(id, r.receivedAt);
        }
        return Promise.resolve([...sentAt.keys()].every((id) => firstReceipt.has(id)));
      },
      30_000,
      'the timed check-ins at the receiver',
    );
    const latencies = [...sentAt].map(([id, at]) => firstReceipt.get(id)! - at).sort((x, y) => x - y);
    console.log(
      `multi-instance bench (PostgreSQL, one run): delivery throughput draining ${BENCH_CHECK_INS} queued deliveries to one endpoint: ` +
        `1 instance ${one.toFixed(0)}/s, 2 instances ${two.toFixed(0)}/s; check-in → receipt over ${LATENCY_CHECK_INS} check-ins ` +
        `(2 at a time, both instances): p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies[latencies.length - 1]} ms`,
    );
    expect(latencies).toHaveLength(LATENCY_CHECK_INS);
  });
});
