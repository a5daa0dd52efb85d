// Typed matchers: the global `expect.any()` is typed `any`, this one an AsymmetricMatcher.
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { ADMIN_KEY, checkIn, CheckedIn, createKey, freeTable, removeDir, startApp, TestApp } from './support/app';
import { cleanEnv, EXAMPLES_DIST, freePort, killAll, NodeProcess } from './support/processes';
import { eventually, Receiver } from './support/receiver';
import type { Schemas, ErrorBody } from './support/api-types';

/**
 * The payment gateway side: Maitred as the receiver of signed webhooks (POST /api/inbound/payments),
 * the guest's payments and `paid` flag, the charge API against the simulator from examples/ and
 * against a scripted gateway, and `payment.received` reaching a subscriber.
 */

jest.setTimeout(60_000);

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const OTHER_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const INBOUND = '/api/inbound/payments';

let sequence = 0;
const uniqueId = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(3).toString('hex')}`;

/** The `payment.received` webhook's data, as far as these tests read it. */
interface PaymentData {
  payment: { paymentId: string };
  guest: unknown;
}

interface SignOptions {
  id?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  secret?: string;
}

function signatureHeaders(body: string | Buffer, options: SignOptions = {}): Record<string, string> {
  const id = options.id ?? uniqueId('msg');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = new Webhook(options.secret ?? SECRET).sign(id, new Date(timestamp * 1000), body.toString('utf8'));
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

function paymentBody(guestId: string, overrides: Record<string, unknown> = {}, type = 'payment.succeeded'): string {
  return JSON.stringify({
    type,
    data: { paymentId: uniqueId('pi'), guestId, amount: 4250, currency: 'EUR', ...overrides },
  });
}

/** The gateway's webhook as Maitred answers it; a caller expecting a refusal names `ErrorBody`. */
function post<T = Schemas['PaymentWebhookAck']>(app: TestApp, body: string | Buffer, headers: Record<string, string>) {
  return app.http.request<T>('POST', INBOUND, { raw: body, headers });
}

function sendSigned<T = Schemas['PaymentWebhookAck']>(app: TestApp, body: string, options: SignOptions = {}) {
  return post<T>(app, body, signatureHeaders(body, options));
}

interface Payment {
  id: string;
  paymentId: string;
  guestId: string;
  amount: number;
  currency: string;
  receivedAt: string;
}

async function paymentEvents(
  app: TestApp,
): Promise<{ id: string; data: { payment: Payment; guest: Record<string, unknown> } }[]> {
  const result = await app.http.get<Schemas['FeedResponseDto']>(`/api/events?types=payment.received&limit=500`, {
    token: ADMIN_KEY,
  });
  expect(result.status).toBe(200);
  // The document types event data as an open object (not yet a union per event type); this feed holds payment.received only.
  return result.body.data as unknown as { id: string; data: { payment: Payment; guest: Record<string, unknown> } }[];
}

async function paymentsOf(app: TestApp, guestId: string): Promise<Payment[]> {
  const result = await app.http.get<Schemas['PaymentResponse'][]>(`/api/guests/${guestId}/payments`, { token: ADMIN_KEY });
  expect(result.status).toBe(200);
  return result.body;
}

async function isPaid(app: TestApp, guestId: string): Promise<boolean> {
  return (await app.http.get<Schemas['GuestResponse']>(`/api/guests/${guestId}`, { token: ADMIN_KEY })).body.paid;
}

async function seat(app: TestApp, guest: CheckedIn): Promise<void> {
  const table = await freeTable(app, guest.partySize as number);
  const seated = await app.http.post<Schemas['GuestResponse']>(
    `/api/guests/${guest.id}/seat`,
    { tableId: table.id },
    { token: ADMIN_KEY },
  );
  expect(seated.status).toBe(200);
}

/** Asserts an inbound request changed nothing: no payment event, no payment, guest not paid. */
async function expectNothingRecorded(app: TestApp, guestId: string, eventsBefore: number): Promise<void> {
  expect(await paymentEvents(app)).toHaveLength(eventsBefore);
  expect(await paymentsOf(app, guestId)).toEqual([]);
  expect(await isPaid(app, guestId)).toBe(false);
}

describe('payments: inbound gateway webhooks, charges and payment.received', () => {
  let app: TestApp;
  let receiver: Receiver;
  let gatewayPort: number;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    gatewayPort = await freePort();
    app = await startApp({
      PAYMENT_WEBHOOK_SECRET: SECRET,
      PAYMENT_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
      WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
      WEBHOOK_RETRY_SCHEDULE: '200ms,500ms',
    });
    const endpoint = await app.http.post<Schemas['CreatedEndpointResponse']>(
      '/api/webhooks/endpoints',
      { url: receiver.url, description: 'payments test', eventTypes: ['payment.received'] },
      { token: ADMIN_KEY },
    );
    expect(endpoint.status).toBe(201);
    receiver.secrets = [endpoint.body.secret!];
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    killAll();
    await app?.close();
    await receiver?.stop();
    if (app) removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('records a signed payment once, marks the guest paid and delivers payment.received to a subscriber', async () => {
    const guest = await checkIn(app, { name: 'Paula', email: 'paula@example.com', marketingOptIn: false });
    const body = paymentBody(guest.id, { amount: 8900, currency: 'EUR' });
    const paymentId = (JSON.parse(body) as { data: { paymentId: string } }).data.paymentId;

    const result = await sendSigned(app, body);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ received: true, duplicate: false });

    const payments = await paymentsOf(app, guest.id);
    expect(payments).toEqual([
      {
        id: expect.stringMatching(/^pay_[0-9A-Z]{26}$/),
        paymentId,
        guestId: guest.id,
        amount: 8900,
        currency: 'EUR',
        receivedAt: expect.any(String),
      },
    ]);
    expect(new Date(payments[0].receivedAt).toISOString()).toBe(payments[0].receivedAt);
    expect(await isPaid(app, guest.id)).toBe(true);

    // The guest may read their own payments with their token.
    const own = await app.http.get<Schemas['PaymentResponse'][]>(`/api/guests/${guest.id}/payments`, { guestToken: guest.token });
    expect(own.status).toBe(200);
    expect(own.body).toEqual(payments);

    const events = (await paymentEvents(app)).filter((event) => event.data.payment.paymentId === paymentId);
    expect(events).toHaveLength(1);
    expect(events[0].data.payment).toEqual(payments[0]);
    // The contract's privacy rule: no contact details without marketing consent, never a token.
    expect(events[0].data.guest).toMatchObject({ id: guest.id, paid: true, email: null, phone: null });
    expect(events[0].data.guest).not.toHaveProperty('token');

    const delivered = await receiver.waitFor(
      (r) => r.payload.type === 'payment.received' && (r.payload.data as PaymentData).payment.paymentId === paymentId,
    );
    expect(delivered.verified).toBe(true);
    expect(delivered.id).toBe(events[0].id);
    expect(delivered.payload.data).toEqual(events[0].data);
  });

  it('answers a redelivery of the same webhook as a duplicate and records nothing more', async () => {
    const guest = await checkIn(app, { name: 'Rita' });
    const body = paymentBody(guest.id);
    const headers = signatureHeaders(body);
    const before = (await paymentEvents(app)).length;

    expect((await post(app, body, headers)).body).toEqual({ received: true, duplicate: false });
    // The very same request again (a replay within the window), then the gateway's retry with a fresh timestamp.
    const replay = await post(app, body, headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ received: true, duplicate: true });
    const retry = await sendSigned(app, body, { id: headers['webhook-id'], timestamp: Math.floor(Date.now() / 1000) + 2 });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: true, duplicate: true });

    expect(await paymentsOf(app, guest.id)).toHaveLength(1);
    expect(await paymentEvents(app)).toHaveLength(before + 1);
  });

  it('records one payment for two webhooks with the same paymentId, and none for a reused webhook-id', async () => {
    const guest = await checkIn(app, { name: 'Sam' });
    const paymentId = uniqueId('pi');
    const before = (await paymentEvents(app)).length;

    const first = await sendSigned(app, paymentBody(guest.id, { paymentId }));
    expect(first.body).toEqual({ received: true, duplicate: false });
    const second = await sendSigned(app, paymentBody(guest.id, { paymentId, amount: 1 }));
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ received: true, duplicate: true });

    // A webhook-id already recorded, now claiming another payment: still the same delivery, nothing new.
    const firstId = (await paymentsOf(app, guest.id))[0].paymentId;
    expect(firstId).toBe(paymentId);
    const webhookId = uniqueId('msg');
    expect((await sendSigned(app, paymentBody(guest.id), { id: webhookId })).body).toEqual({ received: true, duplicate: false });
    expect((await sendSigned(app, paymentBody(guest.id), { id: webhookId })).body).toEqual({ received: true, duplicate: true });

    const payments = await paymentsOf(app, guest.id);
    expect(payments).toHaveLength(2);
    expect(payments[0]).toMatchObject({ paymentId, amount: 4250 });
    expect(await paymentEvents(app)).toHaveLength(before + 2);
  });

  it('records one payment when copies of a webhook race each other', async () => {
    const guest = await checkIn(app, { name: 'Quinn' });
    const paymentId = uniqueId('pi');
    const body = paymentBody(guest.id, { paymentId });
    const headers = signatureHeaders(body);
    // The same delivery five times at once, and five other deliveries of the same payment.
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => post(app, body, headers)),
      ...Array.from({ length: 5 }, () => sendSigned(app, body)),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(await paymentsOf(app, guest.id)).toHaveLength(1);
    expect((await paymentEvents(app)).filter((event) => event.data.payment.paymentId === paymentId)).toHaveLength(1);
  });

  it('refuses missing, wrong and stale signatures with 401 and records nothing', async () => {
    const guest = await checkIn(app, { name: 'Mallory' });
    const before = (await paymentEvents(app)).length;
    const body = paymentBody(guest.id);
    const now = Math.floor(Date.now() / 1000);
    const good = signatureHeaders(body);
    const without = (name: string) => Object.fromEntries(Object.entries(good).filter(([key]) => key !== name));

    const cases: [string, string | Buffer, Record<string, string>][] = [
      ['a made-up signature', body, { ...good, 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` }],
      ['a signature made with another secret', body, signatureHeaders(body, { secret: OTHER_SECRET })],
      ['a timestamp 6 minutes old', body, signatureHeaders(body, { timestamp: now - 6 * 60 })],
      ['a timestamp 6 minutes ahead', body, signatureHeaders(body, { timestamp: now + 6 * 60 })],
      ['a timestamp a day old', body, signatureHeaders(body, { timestamp: now - 86_400 })],
      ['no webhook-signature', body, without('webhook-signature')],
      ['no webhook-id', body, without('webhook-id')],
      ['no webhook-timestamp', body, without('webhook-timestamp')],
      ['no signature headers at all', body, {}],
      ['an empty signature', body, { ...good, 'webhook-signature': '' }],
      [
        'a signature of another version',
        body,
        { ...good, 'webhook-signature': good['webhook-signature'].replace(/^v1,/, 'v2,') },
      ],
      ['a signature for another webhook-id', body, { ...good, 'webhook-id': uniqueId('msg') }],
      ['a timestamp changed after signing', body, { ...good, 'webhook-timestamp': String(now - 1) }],
      ['a non-numeric timestamp', body, { ...good, 'webhook-timestamp': `${good['webhook-timestamp']}abc` }],
      ['a body altered after signing', body.replace('4250', '1'), good],
      ['whitespace-changed JSON', JSON.stringify(JSON.parse(body), null, 2), good],
      ['a trailing newline added', `${body}\n`, good],
      ['malformed JSON without a valid signature', '{"type":', good],
      ['an empty body', '', good],
    ];
    for (const [label, sent, headers] of cases) {
      const result = await post(app, sent, headers);
      expect({ label, status: result.status }).toEqual({ label, status: 401 });
      expect(result.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    }
    await expectNothingRecorded(app, guest.id, before);
  });

  it('refuses a correctly signed but malformed body with 400 and records nothing', async () => {
    const guest = await checkIn(app, { name: 'Bob' });
    const before = (await paymentEvents(app)).length;
    const valid = { paymentId: 'pi_bad_1', guestId: guest.id, amount: 100, currency: 'EUR' };
    const bodies: [string, string | Buffer][] = [
      ['malformed JSON', '{"type":"payment.succeeded","data":'],
      ['a JSON array', '[]'],
      ['a JSON string', '"payment.succeeded"'],
      ['JSON null', 'null'],
      ['no type', JSON.stringify({ data: valid })],
      ['a numeric type', JSON.stringify({ type: 1, data: valid })],
      ['no data', JSON.stringify({ type: 'payment.succeeded' })],
      ['data as an array', JSON.stringify({ type: 'payment.succeeded', data: [valid] })],
      ['amount 0', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, amount: 0 } })],
      ['a negative amount', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, amount: -5 } })],
      ['a fractional amount', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, amount: 12.5 } })],
      ['an amount as a string', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, amount: '100' } })],
      ['an amount too large', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, amount: 2 ** 31 } })],
      ['a lower-case currency', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, currency: 'eur' } })],
      ['a 4-letter currency', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, currency: 'EURO' } })],
      ['an empty paymentId', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, paymentId: '' } })],
      ['a numeric paymentId', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, paymentId: 7 } })],
      ['a numeric guestId', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, guestId: 42 } })],
      ['no guestId', JSON.stringify({ type: 'payment.succeeded', data: { ...valid, guestId: undefined } })],
    ];
    for (const [label, body] of bodies) {
      const result = await sendSigned(app, body.toString());
      expect({ label, status: result.status }).toEqual({ label, status: 400 });
      expect(result.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: expect.any(Array) });
    }
    const named = await sendSigned<ErrorBody>(
      app,
      JSON.stringify({ type: 'payment.succeeded', data: { ...valid, amount: 0, currency: 'eur' } }),
    );
    expect(named.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['data.amount', 'data.currency']);

    // Bytes that are not UTF-8 cannot be JSON: signed over exactly what is sent, still 400 (or 401, never recorded).
    const latin1 = Buffer.concat([
      Buffer.from('{"type":"payment.succeeded","data":{"note":"'),
      Buffer.from([0xe9]),
      Buffer.from('"}}'),
    ]);
    const notUtf8 = await post(app, latin1, signatureHeaders(latin1));
    expect([400, 401]).toContain(notUtf8.status);

    await expectNothingRecorded(app, guest.id, before);
  });

  it('answers 404 for an unknown guest and records nothing', async () => {
    const before = (await paymentEvents(app)).length;
    const result = await sendSigned(app, paymentBody('gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ'));
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(await paymentEvents(app)).toHaveLength(before);
  });

  it('acknowledges another event type as ignored and records nothing', async () => {
    const guest = await checkIn(app, { name: 'Ivan' });
    const before = (await paymentEvents(app)).length;
    for (const type of ['payment.failed', 'payment.refunded', 'charge.dispute.created']) {
      const result = await sendSigned(app, paymentBody(guest.id, {}, type));
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ received: true, ignored: true });
    }
    // Another type needs no payment data at all.
    expect((await sendSigned(app, JSON.stringify({ type: 'ping' }))).body).toEqual({ received: true, ignored: true });
    await expectNothingRecorded(app, guest.id, before);
  });

  it('ignores unknown fields and the content-type', async () => {
    const guest = await checkIn(app, { name: 'Uma' });
    const paymentId = uniqueId('pi');
    const body = JSON.stringify({
      id: 'evt_gateway_1',
      livemode: false,
      data: {
        currency: 'JPY',
        amount: 5000,
        paymentId,
        guestId: guest.id,
        card: { brand: 'visa', last4: '4242' },
        metadata: null,
      },
      type: 'payment.succeeded',
      created: 1764000000,
    });
    const result = await post(app, body, { ...signatureHeaders(body), 'content-type': 'text/plain' });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ received: true, duplicate: false });
    const [payment] = await paymentsOf(app, guest.id);
    expect(Object.keys(payment).sort()).toEqual(['amount', 'currency', 'guestId', 'id', 'paymentId', 'receivedAt']);
    expect(payment).toMatchObject({ paymentId, amount: 5000, currency: 'JPY' });
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const guest = await checkIn(app, { name: 'Lars' });
    const body = paymentBody(guest.id, { padding: 'x'.repeat(70 * 1024) });
    const result = await sendSigned(app, body);
    expect(result.status).toBe(413);
    expect(result.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(await paymentsOf(app, guest.id)).toEqual([]);
  });

  it('never answers 500 to fuzzed bodies, signed or not', async () => {
    const guest = await checkIn(app, { name: 'Fuzz' });
    const before = (await paymentEvents(app)).length;
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
    );
    const body = fc.oneof(
      fc.json(),
      fc.string(),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc
        .record(
          { paymentId: field, guestId: fc.oneof(field, fc.constant(guest.id)), amount: field, currency: field },
          { requiredKeys: [] },
        )
        .map((data) => JSON.stringify({ type: 'payment.succeeded', data })),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (sent, signed) => {
        const headers = signed
          ? signatureHeaders(sent)
          : { 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,x' };
        const result = await post(app, sent, headers);
        expect(result.status).toBeLessThan(500);
        if (!signed) expect(result.status).toBe(401);
        else expect([200, 400, 401, 404]).toContain(result.status);
        expect(typeof result.body).toBe('object');
      }),
      { numRuns: 150 },
    );
    // Only a fuzzed body that was a valid payment for this guest could have recorded one.
    const recorded = (await paymentEvents(app)).slice(before);
    for (const event of recorded) expect(event.data.payment.guestId).toBe(guest.id);
  });

  it('charges a seated guest through the gateway simulator; its webhook marks the guest paid', async () => {
    const simulator = new NodeProcess(
      'payment-gateway',
      join(EXAMPLES_DIST, 'payment-gateway.js'),
      cleanEnv(app.dir, {
        PAYMENT_WEBHOOK_SECRET: SECRET,
        MAITRED_URL: app.baseUrl,
        PORT: String(gatewayPort),
        RETRY_BASE_MS: '100',
        RETRY_MAX_MS: '500',
      }),
    );
    try {
      await simulator.waitFor(/listening on/);
      const guest = await checkIn(app, { name: 'Carla', partySize: 2, email: 'carla@example.com', marketingOptIn: true });
      const staffKey = await createKey(app, ['staff']);

      // Waiting guests have no bill yet.
      const early = await app.http.post<ErrorBody>(
        `/api/guests/${guest.id}/charge`,
        { amount: 6400, currency: 'EUR' },
        { token: staffKey },
      );
      expect(early.status).toBe(409);

      await seat(app, guest);
      const accepted = await app.http.post<Schemas['ChargeAccepted']>(
        `/api/guests/${guest.id}/charge`,
        { amount: 6400, currency: 'EUR' },
        { token: staffKey },
      );
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({ paymentId: expect.any(String) });
      const { paymentId } = accepted.body;

      await eventually(() => isPaid(app, guest.id), 10_000, 'the guest to be paid');
      expect(await paymentsOf(app, guest.id)).toEqual([
        expect.objectContaining({ paymentId, guestId: guest.id, amount: 6400, currency: 'EUR' }),
      ]);
      const delivered = await receiver.waitFor(
        (r) => r.payload.type === 'payment.received' && (r.payload.data as PaymentData).payment.paymentId === paymentId,
      );
      expect((delivered.payload.data as PaymentData).guest).toMatchObject({
        id: guest.id,
        paid: true,
        email: 'carla@example.com',
      });

      // The gateway's view: one charge, its webhook delivered.
      const charge = await fetch(`http://127.0.0.1:${gatewayPort}/charges/${paymentId}`).then((r) => r.json());
      expect(charge).toMatchObject({
        paymentId,
        guestId: guest.id,
        amount: 6400,
        currency: 'EUR',
        delivery: { status: 'delivered' },
      });

      // Paid is final: another charge is refused.
      const again = await app.http.post<ErrorBody>(
        `/api/guests/${guest.id}/charge`,
        { amount: 6400, currency: 'EUR' },
        { token: staffKey },
      );
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already paid/);

      // The gateway's "resend" repeats the same webhook-id: Maitred answers it as a duplicate.
      const resent = await fetch(`http://127.0.0.1:${gatewayPort}/charges/${paymentId}/resend`, { method: 'POST' });
      expect(resent.status).toBe(202);
      await simulator.waitFor(new RegExp(`for ${paymentId} → 200 \\(attempt 2\\)`), 10_000);
      expect(await paymentsOf(app, guest.id)).toHaveLength(1);
    } finally {
      await simulator.stop();
    }
  });

  it('lets only staff charge, and only staff or that guest read payments', async () => {
    const guest = await checkIn(app, { name: 'Nora' });
    const other = await checkIn(app, { name: 'Otto' });
    const offersKey = await createKey(app, ['offers']);
    expect((await app.http.post<ErrorBody>(`/api/guests/${guest.id}/charge`, { amount: 100, currency: 'EUR' })).status).toBe(401);
    expect(
      (await app.http.post<ErrorBody>(`/api/guests/${guest.id}/charge`, { amount: 100, currency: 'EUR' }, { token: offersKey }))
        .status,
    ).toBe(403);
    expect(
      (
        await app.http.post<ErrorBody>(
          `/api/guests/${guest.id}/charge`,
          { amount: 100, currency: 'EUR' },
          { guestToken: guest.token },
        )
      ).status,
    ).toBe(401);
    expect((await app.http.get<ErrorBody>(`/api/guests/${guest.id}/payments`)).status).toBe(401);
    expect((await app.http.get<ErrorBody>(`/api/guests/${guest.id}/payments`, { guestToken: other.token })).status).toBe(401);
    expect((await app.http.get<ErrorBody>(`/api/guests/${guest.id}/payments`, { token: offersKey })).status).toBe(403);
    expect(
      (await app.http.get<ErrorBody>(`/api/guests/gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ/payments`, { token: ADMIN_KEY })).status,
    ).toBe(404);
  });
});

/** A scripted stand-in for the gateway's API, to see exactly what Maitred asks of it. */
class ScriptedGateway {
  readonly requests: { path: string; idempotencyKey: string | undefined; body: Record<string, unknown> }[] = [];
  respond: (request: ScriptedGateway['requests'][number], res: ServerResponse) => void = (request, res) => {
    const key = request.idempotencyKey ?? 'none';
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ paymentId: `pi_for_${key}` }));
  };
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const key = req.headers['idempotency-key'];
        const request = {
          path: req.url ?? '',
          idempotencyKey: typeof key === 'string' ? key : undefined,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        };
        this.requests.push(request);
        this.respond(request, res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('payments: charge rules against a scripted gateway', () => {
  let app: TestApp;
  let gateway: ScriptedGateway;

  beforeAll(async () => {
    gateway = await new ScriptedGateway().start();
    app = await startApp({ PAYMENT_WEBHOOK_SECRET: SECRET, PAYMENT_GATEWAY_URL: `http://127.0.0.1:${gateway.port}/v1/` });
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    await app?.close();
    await gateway?.stop();
    if (app) removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  const charge = <T = Schemas['ChargeAccepted']>(guestId: string, body: unknown) =>
    app.http.post<T>(`/api/guests/${guestId}/charge`, body, { token: ADMIN_KEY });

  it('asks the gateway once per open charge: the same amount again reuses its Idempotency-Key', async () => {
    const guest = await checkIn(app, { name: 'Dora' });
    await seat(app, guest);
    gateway.requests.length = 0;

    const first = await charge(guest.id, { amount: 3100, currency: 'CHF' });
    expect(first.status).toBe(202);
    expect(gateway.requests).toEqual([
      {
        path: '/v1/charges',
        idempotencyKey: expect.stringMatching(/^chg_[0-9A-Z]{26}$/),
        body: { guestId: guest.id, amount: 3100, currency: 'CHF' },
      },
    ]);
    expect(first.body).toEqual({ paymentId: `pi_for_${gateway.requests[0].idempotencyKey}` });

    // A double click: the same charge again, with the same key, so the gateway charges once.
    const second = await charge(guest.id, { amount: 3100, currency: 'CHF' });
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(gateway.requests[1].idempotencyKey).toBe(gateway.requests[0].idempotencyKey);

    // Another amount while that charge is open is refused.
    const other = await charge(guest.id, { amount: 3200, currency: 'CHF' });
    expect(other.status).toBe(409);
    expect(gateway.requests).toHaveLength(2);

    // The gateway's webhook closes it: the guest is paid, and further charges are refused.
    const webhook = JSON.stringify({
      type: 'payment.succeeded',
      data: { paymentId: first.body.paymentId, guestId: guest.id, amount: 3100, currency: 'CHF' },
    });
    expect((await sendSigned(app, webhook)).body).toEqual({ received: true, duplicate: false });
    expect((await charge(guest.id, { amount: 3100, currency: 'CHF' })).status).toBe(409);
    expect(gateway.requests).toHaveLength(2);
  });

  it('validates the charge and the guest before calling the gateway', async () => {
    const waiting = await checkIn(app, { name: 'Wanda' });
    const seated = await checkIn(app, { name: 'Sid' });
    await seat(app, seated);
    const left = await checkIn(app, { name: 'Leo' });
    expect((await app.http.post<Schemas['GuestResponse']>(`/api/guests/${left.id}/leave`, {}, { token: ADMIN_KEY })).status).toBe(
      200,
    );
    gateway.requests.length = 0;

    expect((await charge('gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ', { amount: 100, currency: 'EUR' })).status).toBe(404);
    const notSeated = await charge<ErrorBody>(waiting.id, { amount: 100, currency: 'EUR' });
    expect(notSeated.status).toBe(409);
    expect(notSeated.body.message).toMatch(/not seated/);
    expect((await charge(left.id, { amount: 100, currency: 'EUR' })).status).toBe(409);
    for (const body of [
      {},
      { amount: 0, currency: 'EUR' },
      { amount: 1.5, currency: 'EUR' },
      { amount: '100', currency: 'EUR' },
      { amount: 100, currency: 'eur' },
      { amount: 100, currency: 'EUR', tip: 5 },
    ]) {
      const result = await charge(seated.id, body);
      expect({ body, status: result.status }).toEqual({ body, status: 400 });
    }
    expect(gateway.requests).toEqual([]);
  });

  it('answers 502 when the gateway refuses and 503 when it fails or cannot be reached', async () => {
    const guest = await checkIn(app, { name: 'Gil' });
    await seat(app, guest);

    gateway.respond = (_request, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"card declined"}');
    const refused = await charge<ErrorBody>(guest.id, { amount: 500, currency: 'EUR' });
    expect(refused.status).toBe(502);
    expect(refused.body.message).toMatch(/card declined/);

    gateway.respond = (_request, res) => res.writeHead(500).end();
    expect((await charge(guest.id, { amount: 500, currency: 'EUR' })).status).toBe(503);

    gateway.respond = (_request, res) => res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    expect((await charge(guest.id, { amount: 500, currency: 'EUR' })).status).toBe(502);

    await gateway.stop();
    const unreachable = await charge<ErrorBody>(guest.id, { amount: 500, currency: 'EUR' });
    expect(unreachable.status).toBe(503);
    expect(unreachable.body.message).toMatch(/unreachable/);
    expect(await isPaid(app, guest.id)).toBe(false);
  });
});

describe('payments: without a secret or a gateway', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    await app?.close();
    if (app) removeDir(app.dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('answers 503 to inbound webhooks and to charges, saying what to configure', async () => {
    const guest = await checkIn(app, { name: 'Nils' });
    const inbound = await sendSigned<ErrorBody>(app, paymentBody(guest.id));
    expect(inbound.status).toBe(503);
    expect(inbound.body.message).toMatch(/PAYMENT_WEBHOOK_SECRET/);

    await seat(app, guest);
    const charged = await app.http.post<ErrorBody>(
      `/api/guests/${guest.id}/charge`,
      { amount: 100, currency: 'EUR' },
      { token: ADMIN_KEY },
    );
    expect(charged.status).toBe(503);
    expect(charged.body.message).toMatch(/PAYMENT_GATEWAY_URL/);
    expect(await paymentsOf(app, guest.id)).toEqual([]);
  });
});
