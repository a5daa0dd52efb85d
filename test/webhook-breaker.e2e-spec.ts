import { checkIn, clockOf, createKey, ON_POSTGRES, removeDir, startApp, TestApp } from './support/app';
import { eventually, guestIdOf, Receiver, type Responder } from './support/receiver';

/**
 * The circuit breaker, through the real stack on the app's Clock: five failed attempts in a row
 * pause the endpoint (no attempt, no retry used up), the cool-down passes, a single probe fails and
 * re-opens it for twice as long, the next probe succeeds and everything waiting is delivered.
 */
jest.setTimeout(60_000);

const DB = ON_POSTGRES ? 'PostgreSQL' : 'SQLite';
const SECOND = 1_000;

interface Endpoint {
  id: string;
  health: 'healthy' | 'failing' | 'paused';
  nextProbeAt: string | null;
}
interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attemptCount: number;
  attempts: { at: string }[];
}

const serverError: Responder = (_req, res) => {
  res.writeHead(500).end();
};
const ok: Responder = (_req, res) => {
  res.writeHead(204).end();
};

describe(`the circuit breaker on ${DB}`, () => {
  const receiver = new Receiver();
  const healthyReceiver = new Receiver();
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    await Promise.all([receiver.start(), healthyReceiver.start()]);
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: `${receiver.hostPort},${healthyReceiver.hostPort}`,
      // Retries at once in real time: only the breaker holds attempts back.
      WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 20 }, () => '1ms').join(','),
    });
    key = await createKey(app, ['endpoints']);
  });

  afterAll(async () => {
    await Promise.all([receiver.stop(), healthyReceiver.stop()]);
    const started = app as TestApp | undefined;
    await started?.close();
    if (started) removeDir(started.dir);
  });

  const endpoint = async (id: string) => {
    const result = await app.http.get<Endpoint>(`/api/webhooks/endpoints/${id}`, { token: key });
    expect(result.status).toBe(200);
    return result.body;
  };
  const deliveries = async (id: string) => {
    const result = await app.http.get<Delivery[]>(`/api/webhooks/endpoints/${id}/deliveries`, { token: key });
    expect(result.status).toBe(200);
    return result.body;
  };
  const add = async (target: Receiver) => {
    const created = await app.http.post<Endpoint & { secret: string }>(
      '/api/webhooks/endpoints',
      { url: target.url, eventTypes: ['guest.checked_in'] },
      { token: key },
    );
    expect(created.status).toBe(201);
    target.secrets.push(created.body.secret);
    return created.body;
  };
  /**
   * Two test events sent to the healthy endpoint and received: two dispatcher passes since, so an
   * attempt the paused endpoint were owed would have gone out by now (instead of sleeping on it).
   */
  const twoDispatchPasses = async (healthyId: string) => {
    for (let pass = 0; pass < 2; pass++) {
      const sent = await app.http.post<{ eventId: string }>(`/api/webhooks/endpoints/${healthyId}/test`, undefined, {
        token: key,
      });
      expect(sent.status).toBe(202);
      await healthyReceiver.waitFor((r) => r.id === sent.body.eventId);
    }
  };

  it('opens after 5 failed attempts, probes once per cool-down (30 s, then 60 s), and closes on a success', async () => {
    receiver.respond = serverError;
    const clock = clockOf(app);
    const ep = await add(receiver);
    const other = await add(healthyReceiver);
    expect(ep).toMatchObject({ health: 'healthy', nextProbeAt: null });

    const first = await checkIn(app, { name: 'First' });
    const paused = await eventually(
      async () => {
        const view = await endpoint(ep.id);
        return view.health === 'paused' ? view : null;
      },
      15_000,
      'the breaker to open',
    );
    const [opened] = await deliveries(ep.id);
    expect(opened.attemptCount).toBe(5);
    expect(receiver.received.filter((r) => guestIdOf(r) === first.id)).toHaveLength(5);
    // The cool-down starts at the fifth failure and lasts 30 s.
    expect(Date.parse(paused.nextProbeAt!) - Date.parse(opened.attempts[4].at)).toBe(30 * SECOND);

    // Paused: a new event waits unattempted, the first one's retries are not used up, and another
    // endpoint is served as usual.
    const second = await checkIn(app, { name: 'Second' });
    await healthyReceiver.waitFor((r) => guestIdOf(r) === second.id);
    await twoDispatchPasses(other.id);
    expect(receiver.received).toHaveLength(5);
    expect((await deliveries(ep.id)).map((d) => d.attemptCount).sort()).toEqual([0, 5]);
    expect(await endpoint(other.id)).toMatchObject({ health: 'healthy' });

    // The cool-down passes: one probe, which fails, re-opens it for 60 s.
    clock.advance(31 * SECOND);
    await eventually(() => Promise.resolve(receiver.received.length === 6), 10_000, 'the first probe');
    // While the probe is in flight, nextProbeAt is the end of its lease; wait for it to be recorded.
    const reopened = await eventually(
      async () => {
        const recorded = (await deliveries(ep.id)).reduce((sum, d) => sum + d.attemptCount, 0) === 6;
        const view = await endpoint(ep.id);
        return recorded && view.health === 'paused' ? view : null;
      },
      10_000,
      'the breaker to re-open',
    );
    const probeAt = Math.max(...(await deliveries(ep.id)).flatMap((d) => d.attempts.map((a) => Date.parse(a.at))));
    expect(Date.parse(reopened.nextProbeAt!) - probeAt).toBe(60 * SECOND);
    await twoDispatchPasses(other.id);
    expect(receiver.received).toHaveLength(6);

    // The receiver recovers; after the second cool-down the probe succeeds and the rest follows.
    receiver.respond = ok;
    clock.advance(61 * SECOND);
    await eventually(
      async () => {
        const list = await deliveries(ep.id);
        return list.length === 2 && list.every((d) => d.status === 'succeeded');
      },
      10_000,
      'both deliveries to succeed',
    );
    expect(await endpoint(ep.id)).toMatchObject({ health: 'healthy', nextProbeAt: null });
    expect(receiver.received).toHaveLength(8);
    const attempts = Object.fromEntries((await deliveries(ep.id)).map((d) => [d.eventId, d.attemptCount]));
    expect(Object.values(attempts).sort()).toEqual([1, 7].sort());
  });

  it('refuses to set health, naming the field', async () => {
    const ep = await add(healthyReceiver);
    const patched = await app.http.patch(`/api/webhooks/endpoints/${ep.id}`, { health: 'healthy' }, { token: key });
    expect(patched.status).toBe(400);
    expect(patched.text).toMatch(/health/);
  });
});
