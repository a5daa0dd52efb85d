import { checkIn, clockOf, createKey, removeDir, startApp } from './support/app';
import { eventually, Receiver, ReceivedWebhook, Responder } from './support/receiver';
import type { Schemas } from './support/api-types';

/**
 * Delivery rules that play out over time: timeouts, the default retry schedule and auto-disable
 * (moved along on the app's Clock instead of waiting hours), and per-endpoint isolation.
 */
jest.setTimeout(30_000);

interface Delivery {
  id: string;
  eventId: string;
  status: 'pending' | 'succeeded' | 'failed';
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  attempts: {
    at: string;
    statusCode: number | null;
    durationMs: number;
    error: string | null;
    responseBody: string | null;
  }[];
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never: Responder = () => undefined;
const serverError: Responder = (_req, res) => {
  res.writeHead(500).end();
};
/** The guest a webhook names, if any (its data is null when the body was not JSON). */
const guestOf = (webhook: ReceivedWebhook) => (webhook.payload.data as { guest?: { id: string; name: string } } | null)?.guest;
const forGuest = (guestId: string) => (r: ReceivedWebhook) => r.payload.type === 'guest.checked_in' && guestOf(r)?.id === guestId;

/** A started app with an `endpoints` key and helpers bound to it. */
async function harness(receivers: Receiver[], env: Record<string, string>) {
  await Promise.all(receivers.map((receiver) => receiver.start()));
  const app = await startApp({ ...env, WEBHOOK_ALLOWED_HOSTS: receivers.map((receiver) => receiver.hostPort).join(',') });
  const key = await createKey(app, ['endpoints'], 'integrator');

  const addEndpoint = async (receiver: Receiver) => {
    const result = await app.http.post<Schemas['CreatedEndpointResponse']>(
      '/api/webhooks/endpoints',
      { url: receiver.url },
      { token: key },
    );
    expect(result.status).toBe(201);
    receiver.secrets.push(result.body.secret!);
    return result.body as { id: string };
  };
  const removeEndpoint = async (id: string) => {
    expect((await app.http.delete(`/api/webhooks/endpoints/${id}`, { token: key })).status).toBe(204);
  };
  const endpoint = async (id: string) => {
    const result = await app.http.get(`/api/webhooks/endpoints/${id}`, { token: key });
    expect(result.status).toBe(200);
    return result.body as { enabled: boolean; disabledReason: string | null };
  };
  const deliveries = async (endpointId: string, query = ''): Promise<Delivery[]> => {
    const result = await app.http.get<Delivery[]>(`/api/webhooks/endpoints/${endpointId}/deliveries${query}`, { token: key });
    expect(result.status).toBe(200);
    return result.body;
  };
  const deliveryOf = (endpointId: string, eventId: string, until: (d: Delivery) => boolean, timeoutMs = 4_000) =>
    eventually(
      async () => (await deliveries(endpointId)).find((d) => d.eventId === eventId && until(d)),
      timeoutMs,
      `delivery of ${eventId} to ${endpointId}`,
    );
  const close = async () => {
    // Receivers first: attempts hanging on them end now instead of holding up the shutdown.
    await Promise.all(receivers.map((receiver) => receiver.stop()));
    await app.close();
    removeDir(app.dir);
  };
  return { app, key, addEndpoint, removeEndpoint, endpoint, deliveries, deliveryOf, close };
}

type Harness = Awaited<ReturnType<typeof harness>>;

/** For afterAll: a failed beforeAll leaves the harness unassigned. */
const closeIfStarted = (h: Harness | undefined) => h?.close();

/** Milliseconds between an attempt and the next one it scheduled. */
function gap(delivery: Delivery, attemptIndex: number): number {
  return Date.parse(delivery.nextAttemptAt!) - Date.parse(delivery.attempts[attemptIndex].at);
}

describe('a receiver that never answers (WEBHOOK_TIMEOUT_MS=300)', () => {
  const hang = new Receiver();
  let h: Harness;

  beforeAll(async () => {
    h = await harness([hang], { WEBHOOK_TIMEOUT_MS: '300' });
  });
  afterAll(() => closeIfStarted(h));

  it('records the attempt as `timeout` after about 300 ms', async () => {
    hang.respond = never;
    const ep = await h.addEndpoint(hang);
    const guest = await checkIn(h.app, { name: 'Patience' });
    const eventId = (await hang.waitFor(forGuest(guest.id))).id;
    const delivery = await h.deliveryOf(ep.id, eventId, (d) => d.attemptCount === 1);
    expect(delivery).toMatchObject({ status: 'pending', lastError: 'timeout', lastStatusCode: null });
    expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: 'timeout', responseBody: null });
    expect(delivery.attempts[0].durationMs).toBeGreaterThanOrEqual(280);
    expect(delivery.attempts[0].durationMs).toBeLessThan(2_000);
  });
});

describe('the default retry schedule, on the app clock', () => {
  const failing = new Receiver();
  let h: Harness;

  beforeAll(async () => {
    h = await harness([failing], {});
  });
  afterAll(() => closeIfStarted(h));

  it('retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (each ±20 %) under one webhook-id, then fails', async () => {
    failing.respond = serverError;
    const clock = clockOf(h.app);
    const ep = await h.addEndpoint(failing);
    const guest = await checkIn(h.app, { name: 'Schedule' });
    const eventId = (await failing.waitFor(forGuest(guest.id))).id;

    let delivery = await h.deliveryOf(ep.id, eventId, (d) => d.attemptCount === 1);
    expect(delivery).toMatchObject({ status: 'pending', lastError: 'http_500' });
    // Not early: more than a dispatcher poll later it has still not been tried again.
    await sleep(1_300);
    expect((await h.deliveryOf(ep.id, eventId, () => true)).attemptCount).toBe(1);

    const schedule = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
    const advanced: number[] = [];
    for (const [step, delay] of schedule.entries()) {
      const attempts = step + 1;
      expect(delivery).toMatchObject({ status: 'pending', attemptCount: attempts });
      expect(gap(delivery, step)).toBeGreaterThanOrEqual(delay * 0.8);
      expect(gap(delivery, step)).toBeLessThanOrEqual(delay * 1.2);
      const advance = Math.ceil(delay * 1.2) + SECOND;
      clock.advance(advance);
      advanced.push(advance);
      delivery = await h.deliveryOf(ep.id, eventId, (d) => d.attemptCount === attempts + 1, 3_000);
    }
    // The first attempt and seven retries: the schedule is spent.
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: 8, nextAttemptAt: null });
    expect(delivery.attempts.every((attempt) => attempt.error === 'http_500')).toBe(true);

    const sent = failing.received.filter((r) => r.id === eventId);
    expect(sent).toHaveLength(8);
    expect(sent.every((r) => r.body === sent[0].body)).toBe(true);
    // webhook-timestamp is the time of each attempt, not of the first one.
    expect(Math.abs(Number(sent[0].timestamp) - sent[0].receivedAt / 1000)).toBeLessThan(5);
    for (let i = 1; i < sent.length; i += 1) {
      expect(Number(sent[i].timestamp) - Number(sent[i - 1].timestamp)).toBeGreaterThanOrEqual(
        Math.floor(advanced[i - 1] / 1000),
      );
    }
    expect(await h.endpoint(ep.id)).toMatchObject({ enabled: true });
  });
});

describe('auto-disable, on the app clock (WEBHOOK_DISABLE_AFTER=1h)', () => {
  const pure = new Receiver();
  const reset = new Receiver();
  let h: Harness;

  beforeAll(async () => {
    h = await harness([pure, reset], { WEBHOOK_DISABLE_AFTER: '1h' });
  });
  afterAll(() => closeIfStarted(h));

  it('disables an endpoint that failed for WEBHOOK_DISABLE_AFTER; a success in between starts the count again', async () => {
    const clock = clockOf(h.app);
    pure.respond = serverError;
    // `reset` fails only guest A's delivery: guest B's success resets its failing streak.
    reset.respond = (req, res) => {
      res.writeHead(guestOf(req)?.name === 'A' ? 500 : 204).end();
    };
    const alwaysFailing = await h.addEndpoint(pure);
    const recovering = await h.addEndpoint(reset);
    const both = [alwaysFailing.id, recovering.id];
    const guestA = await checkIn(h.app, { name: 'A' });
    const eventA = (await pure.waitFor(forGuest(guestA.id))).id;
    const attemptsOfA = (count: number, timeoutMs = 3_000) =>
      Promise.all(both.map((id) => h.deliveryOf(id, eventA, (d) => d.attemptCount === count, timeoutMs)));

    await attemptsOfA(1); // T0: both start failing
    clock.advance(6 * SECOND);
    await attemptsOfA(2);
    clock.advance(50 * MINUTE);
    await attemptsOfA(3); // T0 + 50 min: failing, but not for an hour yet
    for (const id of both) expect(await h.endpoint(id)).toMatchObject({ enabled: true, disabledReason: null });

    const guestB = await checkIn(h.app, { name: 'B' });
    const eventB = (await reset.waitFor(forGuest(guestB.id))).id;
    await h.deliveryOf(recovering.id, eventB, (d) => d.status === 'succeeded');

    clock.advance(37 * MINUTE); // T0 + 87 min
    await h.deliveryOf(recovering.id, eventA, (d) => d.attemptCount === 4, 3_000);
    const disabled = await eventually(
      async () => {
        const found = await h.endpoint(alwaysFailing.id);
        return !found.enabled && found;
      },
      3_000,
      'the always failing endpoint to be disabled',
    );
    expect(disabled.disabledReason).toMatch(/fail/);
    // Its pending work fails with it.
    expect(await h.deliveries(alwaysFailing.id, '?status=pending')).toEqual([]);
    expect(await h.deliveryOf(alwaysFailing.id, eventA, () => true)).toMatchObject({ status: 'failed', nextAttemptAt: null });
    // The other failed for 37 min only since its success.
    expect(await h.endpoint(recovering.id)).toMatchObject({ enabled: true, disabledReason: null });

    clock.advance(150 * MINUTE); // past the 2 h ±20 % retry, 2.5 h into the new streak
    const failedA = await h.deliveryOf(recovering.id, eventA, (d) => d.status === 'failed', 3_000);
    expect(failedA).toMatchObject({ attemptCount: 5, nextAttemptAt: null });
    const second = await h.endpoint(recovering.id);
    expect(second.enabled).toBe(false);
    expect(second.disabledReason).toMatch(/fail/);
  });
});

describe('per-endpoint isolation (WEBHOOK_TIMEOUT_MS=5000)', () => {
  const hang = new Receiver();
  const healthy = new Receiver();
  let h: Harness;

  beforeAll(async () => {
    h = await harness([hang, healthy], { WEBHOOK_TIMEOUT_MS: '5000' });
  });
  afterAll(() => closeIfStarted(h));

  it('a hanging endpoint with 30 deliveries queued does not delay a healthy one', async () => {
    hang.respond = never;
    const stuck = await h.addEndpoint(hang);
    const fine = await h.addEndpoint(healthy);
    const lags: number[] = [];
    for (let i = 0; i < 35; i += 1) {
      const guest = await checkIn(h.app, { name: `Guest ${i}` });
      const committed = Date.now();
      const got = await healthy.waitFor(forGuest(guest.id), 3_000);
      lags.push(got.receivedAt - committed);
    }
    // Every one of the 35 arrived within a second of its 201, the last 5 with 30+ queued behind the hang.
    expect(Math.max(...lags)).toBeLessThan(1_000);
    expect(healthy.received.every((r) => r.verified)).toBe(true);
    const backlog = await h.deliveries(stuck.id, '?status=pending');
    // All still owed to the hanging one: at most one timeout (5 s) can have passed meanwhile.
    expect(backlog).toHaveLength(35);
    expect(hang.received.length).toBeGreaterThan(0);
    expect(await h.deliveries(fine.id, '?status=succeeded')).toHaveLength(35);
  });
});

describe('more endpoints than free delivery slots (WEBHOOK_CONCURRENCY=2)', () => {
  const receivers = Array.from({ length: 5 }, () => new Receiver());
  let h: Harness;

  beforeAll(async () => {
    h = await harness(receivers, { WEBHOOK_CONCURRENCY: '2' });
  });
  afterAll(() => closeIfStarted(h));

  it('still delivers each event to every endpoint within a second', async () => {
    for (const receiver of receivers) await h.addEndpoint(receiver);
    for (let i = 0; i < 3; i += 1) {
      const guest = await checkIn(h.app, { name: `Crowd ${i}` });
      const committed = Date.now();
      const copies = await Promise.all(receivers.map((receiver) => receiver.waitFor(forGuest(guest.id), 3_000)));
      expect(new Set(copies.map((copy) => copy.id)).size).toBe(1);
      expect(Math.max(...copies.map((copy) => copy.receivedAt - committed))).toBeLessThan(1_000);
    }
  });
});
