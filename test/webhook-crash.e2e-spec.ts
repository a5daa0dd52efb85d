import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DIST_DIR, removeDir, tempDir } from './support/app';
import { Http } from './support/http';
import { Receiver, ReceivedWebhook } from './support/receiver';

/**
 * The outbox survives a crash: `node dist/main` is SIGKILLed while webhooks are flowing to a
 * slow receiver, then started again on the same SQLite file. Every committed check-in must still
 * reach the receiver, under the id its event has in the feed, and the only duplicates allowed are
 * the attempts that could have been in flight when the process died.
 */

jest.setTimeout(60_000);

const MAIN = join(DIST_DIR, 'main.js');
const ADMIN_KEY = 'crash-test-admin-key-0123456789';
const ENDPOINT_CONCURRENCY = 8;
const CHECK_INS = 300;
const CHECK_IN_CONCURRENCY = 8;
/** The kill comes on a receipt once the receiver has seen this many and half the check-ins are sent. */
const KILL_AT = 20;

interface Child {
  child: ChildProcess;
  http: Http;
  exit: Promise<void>;
  output: () => string;
}

const children = new Set<ChildProcess>();

async function launch(dir: string, env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: dir,
    // Only what we set, so the developer's own environment cannot leak in.
    env: { PATH: process.env.PATH, HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 25 s:\n${output}`)), 25_000);
    const check = () => {
      const match = /listening on \S*?:(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve(Number(match[1]));
    };
    child.stdout.on('data', check);
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before listening:\n${output}`));
    });
  });
  return { child, http: new Http(`http://127.0.0.1:${port}`), exit, output: () => output };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface FeedEvent {
  id: string;
  type: string;
  data: { guest: { id: string } };
}

/** Only guest.checked_in is subscribed, so every webhook names a guest. */
const guestIdOf = (webhook: ReceivedWebhook) => (webhook.payload.data as FeedEvent['data']).guest.id;

async function checkedInEvents(http: Http): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const query = `/api/events?types=guest.checked_in&limit=500${after ? `&after=${after}` : ''}`;
    const page = await http.get<{ data: FeedEvent[]; next: string }>(query, { token: ADMIN_KEY });
    if (page.status !== 200) throw new Error(`feed: ${page.status} ${page.text}`);
    events.push(...page.body.data);
    if (page.body.data.length === 0) return events;
    after = page.body.next;
  }
}

// The lease release at start is what a lone SQLite instance does; PostgreSQL waits for leases to expire.
const describeOnSqlite = process.env.MAITRED_TEST_DB === 'postgres' ? describe.skip : describe;

describeOnSqlite('webhooks: SIGKILL while delivering, then restart on the same SQLite file', () => {
  let dir: string;
  const receiver = new Receiver();

  beforeAll(() => {
    dir = tempDir('maitred-crash-');
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all([...children].map((child) => new Promise((resolve) => child.once('exit', resolve))));
    await receiver.stop();
    removeDir(dir);
  });

  it('delivers every committed check-in under its event id, with duplicates only from in-flight attempts', async () => {
    // Which process generation a receipt belongs to: answers owed to the killed one are never sent,
    // so whatever it was waiting on at the kill cannot have been recorded as delivered.
    let generation = 0;
    let next = 0;
    const pending = new Set<ReceivedWebhook>();
    let heldAtKill: ReceivedWebhook[] = [];
    let distinctAtKill = 0;
    const seen = new Set<string>();
    await receiver.start();

    const env = {
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir, 'maitred.sqlite')}`,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'silent',
      CHECKIN_RATE_LIMIT: '0',
      SEED_DEMO: 'false',
      WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
      WEBHOOK_CONCURRENCY: '64',
      WEBHOOK_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
      // Far longer than this test: only the restart's release of every lease can bring
      // the killed attempts back in time.
      WEBHOOK_LEASE: '10m',
    };

    const server = await launch(dir, env);
    // Set once the first process is up: nothing is delivered before its endpoint exists.
    receiver.respond = async (request, res) => {
      const mine = generation;
      seen.add(request.id);
      pending.add(request);
      if (mine === 0 && seen.size >= KILL_AT && next >= CHECK_INS / 2) {
        generation = 1;
        heldAtKill = [...pending];
        distinctAtKill = seen.size;
        server.child.kill('SIGKILL');
      }
      await sleep(50 + Math.random() * 50);
      if (mine !== generation) return;
      pending.delete(request);
      res.writeHead(204).end();
    };
    const keyed = await server.http.post<{ key: string }>(
      '/api/keys',
      { name: 'crash', scopes: ['endpoints'] },
      { token: ADMIN_KEY },
    );
    expect(keyed.status).toBe(201);
    const endpoint = await server.http.post<{ id: string; secret: string }>(
      '/api/webhooks/endpoints',
      { url: receiver.url, eventTypes: ['guest.checked_in'] },
      { token: keyed.body.key },
    );
    expect(endpoint.status).toBe(201);
    receiver.secrets = [endpoint.body.secret];

    // Check in until the process dies; a request cut off by the kill may or may not have committed.
    const confirmed: string[] = [];
    let unanswered = 0;
    // Read afresh: the kill flips `generation` while a request is awaited, which narrowing cannot see.
    const beforeKill = () => generation === 0;
    const worker = async () => {
      while (next < CHECK_INS && beforeKill()) {
        const n = next++;
        try {
          const result = await server.http.post<{ id: string }>('/api/guests', { name: `Crash ${n}`, partySize: 1 + (n % 6) });
          if (result.status !== 201) throw new Error(`check-in ${n}: ${result.status} ${result.text}`);
          confirmed.push(result.body.id);
        } catch (error) {
          if (beforeKill()) throw error;
          unanswered++;
        }
      }
    };
    await Promise.all(Array.from({ length: CHECK_IN_CONCURRENCY }, worker));
    // If every check-in finished first, the kill still comes from the receiver as deliveries flow.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([server.exit, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
    clearTimeout(timer);
    expect(generation).toBe(1);
    await server.exit;

    expect(confirmed.length).toBeGreaterThan(0);
    const again = await launch(dir, env);
    const restartedAt = Date.now();

    const committed = await checkedInEvents(again.http);
    const committedIds = new Set(committed.map((event) => event.data.guest.id));
    // Every 201 was committed; the kill came mid-delivery: some seen, at least the killing one unanswered.
    for (const id of confirmed) expect(committedIds.has(id)).toBe(true);
    expect(distinctAtKill).toBeGreaterThanOrEqual(KILL_AT);
    expect(heldAtKill.length).toBeGreaterThan(0);

    const eventIds = new Set(committed.map((event) => event.id));
    const missing = () => {
      const received = new Set(receiver.received.map((r) => r.id));
      return [...eventIds].filter((id) => !received.has(id));
    };
    for (const deadline = Date.now() + 30_000; missing().length > 0; await sleep(25)) {
      if (Date.now() > deadline) {
        throw new Error(
          `${missing().length} committed check-in(s) never reached the receiver, e.g. ${missing().slice(0, 3).join(', ')}`,
        );
      }
    }
    const allDeliveredMs = Date.now() - restartedAt;

    const byGuest = new Map<string, ReceivedWebhook[]>();
    for (const received of receiver.received) {
      expect(received.verified).toBe(true);
      expect(received.verifiedBySvix).toBe(true);
      expect(received.payload.type).toBe('guest.checked_in');
      const guestId = guestIdOf(received);
      byGuest.set(guestId, [...(byGuest.get(guestId) ?? []), received]);
    }
    // Each committed check-in arrived, every copy under the id its event has in the feed.
    for (const event of committed) {
      const copies = byGuest.get(event.data.guest.id) ?? [];
      expect(copies.length).toBeGreaterThan(0);
      for (const copy of copies) expect(copy.id).toBe(event.id);
    }
    expect(byGuest.size).toBe(committed.length);

    // What the killed process was waiting on was sent again after the restart, under the same id.
    for (const held of heldAtKill) {
      const later = receiver.received.filter((r) => r.id === held.id && r !== held && r.receivedAt >= restartedAt);
      expect(later.length).toBeGreaterThan(0);
      expect(guestIdOf(later[0])).toBe(guestIdOf(held));
    }

    const counts = new Map<string, number>();
    for (const received of receiver.received) counts.set(received.id, (counts.get(received.id) ?? 0) + 1);
    const duplicateIds = [...counts.values()].filter((count) => count > 1).length;
    const extraCopies = [...counts.values()].reduce((sum, count) => sum + count - 1, 0);
    console.log(
      `crash test: ${confirmed.length} check-ins answered 201, ${unanswered} cut off by the kill, ` +
        `${committed.length} committed; receiver had ${distinctAtKill} distinct at the kill with ${heldAtKill.length} awaiting an answer; ` +
        `all delivered ${allDeliveredMs} ms after the restart was listening; duplicates: ${duplicateIds} webhook-id(s) received more than once ` +
        `(${extraCopies} extra cop${extraCopies === 1 ? 'y' : 'ies'}), bound ${ENDPOINT_CONCURRENCY} (WEBHOOK_ENDPOINT_CONCURRENCY)`,
    );
    expect(duplicateIds).toBeGreaterThanOrEqual(heldAtKill.length);
    expect(extraCopies).toBeLessThanOrEqual(ENDPOINT_CONCURRENCY);

    // The delivery log agrees: nothing left pending or failed once the last attempts are recorded.
    const key = keyed.body.key;
    for (const status of ['pending', 'failed']) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const list = await again.http.get<unknown[]>(`/api/webhooks/endpoints/${endpoint.body.id}/deliveries?status=${status}`, {
          token: key,
        });
        expect(list.status).toBe(200);
        if (list.body.length === 0) break;
        if (Date.now() > deadline) throw new Error(`${list.body.length} deliveries still ${status}`);
        await sleep(50);
      }
    }

    again.child.kill('SIGTERM');
    await again.exit;
  });
});
