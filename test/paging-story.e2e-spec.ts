import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { io, Socket } from 'socket.io-client';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type TwilioResponse from 'twilio/lib/http/response';
import { checkIn, createKey, freeTable, ON_POSTGRES, removeDir, startApp, TestApp } from './support/app';
import type { Guest } from './support/api-types';
import { cleanEnv, EXAMPLES_DIST, freePort, killAll, NodeProcess } from './support/processes';
import { Recorder } from './support/sockets';
import { waitFor } from './support/wait';

/**
 * The paging story over real HTTP between three programs: Maitred, the `pager` subscriber and the
 * `sms-gateway` Twilio simulator (dist-examples/). The pager sends with the official `twilio`
 * library and verifies the simulator's webhooks with `twilio.validateRequest`.
 */

jest.setTimeout(120_000);

const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const SMS_FROM = '+15005550006';

interface SimMessage {
  sid: string;
  direction: 'outbound-api' | 'inbound' | 'outbound-reply';
  from: string;
  to: string;
  body: string;
  status: string;
}

interface FeedEvent {
  type: string;
  data: { guest?: Guest; reason?: string };
}

describe(`paging story on ${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'}: Maitred → pager → SMS gateway → pager → Maitred`, () => {
  let app: TestApp;
  let staffKey: string;
  let pager: NodeProcess;
  let gateway: NodeProcess;
  let pagerUrl: string;
  let gatewayUrl: string;
  let endpointId: string;
  let endpointsKey: string;
  const measured: string[] = [];

  const staff = () => ({ token: staffKey });

  async function messages(): Promise<SimMessage[]> {
    return (await fetch(`${gatewayUrl}/api/messages`).then((r) => r.json())) as SimMessage[];
  }

  async function textTo(phone: string, count = 1): Promise<SimMessage> {
    const found = await waitFor(async () => {
      const texts = (await messages()).filter((m) => m.to === phone && m.direction === 'outbound-api');
      return texts.length >= count ? texts[count - 1] : undefined;
    }, { label: `a text to ${phone}`, timeoutMs: 20_000 });
    return found;
  }

  async function reply(phone: string, body: string): Promise<{ webhookStatus: number; replies: string[] }> {
    const response = await fetch(`${gatewayUrl}/api/phones/${encodeURIComponent(phone)}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { webhookStatus: number; replies: string[] };
  }

  async function guest(id: string): Promise<Guest> {
    return (await app.http.get<Guest>(`/api/guests/${id}`, staff())).body;
  }

  async function feed(): Promise<FeedEvent[]> {
    return (await app.http.get<{ data: FeedEvent[] }>('/api/events?limit=500', staff())).body.data;
  }

  /** A guest's live page: the /guest namespace with their token. */
  function guestPage(id: string, token: string): { socket: Socket; pushes: Recorder } {
    const socket = io(`${app.baseUrl}/guest`, { auth: { guestId: id, token }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
    const pushes = new Recorder(socket, ['status']);
    socket.connect();
    return { socket, pushes };
  }

  beforeAll(async () => {
    const [pagerPort, gatewayPort] = await Promise.all([freePort(), freePort()]);
    pagerUrl = `http://127.0.0.1:${pagerPort}`;
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${pagerPort}`, WEBHOOK_RETRY_SCHEDULE: '200ms,500ms,1s' });
    gateway = new NodeProcess(
      'sms-gateway',
      join(EXAMPLES_DIST, 'sms-gateway.js'),
      cleanEnv(app.dir, {
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        SMS_WEBHOOK_URL: `${pagerUrl}/twilio/inbound`,
        PORT: String(gatewayPort),
      }),
    );
    await gateway.waitFor(/listening on/);
    staffKey = await createKey(app, ['staff']);
    endpointsKey = await createKey(app, ['endpoints']);
    const endpoint = await app.http.post<{ id: string; secret: string }>(
      '/api/webhooks/endpoints',
      { url: `${pagerUrl}/webhook`, description: 'pager', eventTypes: ['guest.notified'] },
      { token: endpointsKey },
    );
    expect(endpoint.status).toBe(201);
    endpointId = endpoint.body.id;
    pager = new NodeProcess(
      'pager',
      join(EXAMPLES_DIST, 'pager.js'),
      cleanEnv(app.dir, {
        WEBHOOK_SECRET: endpoint.body.secret,
        MAITRED_URL: app.baseUrl,
        MAITRED_API_KEY: staffKey,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        SMS_FROM,
        TWILIO_API_URL: gatewayUrl,
        PORT: String(pagerPort),
        DATA_DIR: join(app.dir, 'pager'),
      }),
    );
    await pager.waitFor(/listening on/);
  });

  afterAll(async () => {
    for (const proc of [pager, gateway]) if (proc?.running) await proc.stop();
    killAll();
    await app?.close();
    if (app) removeDir(app.dir);
    if (measured.length > 0) console.log(`paging story (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'}):\n  ${measured.join('\n  ')}`);
  });

  it('notify → guest.notified → pager reads the phone through the API → a text at the simulator; reply 1 confirms', async () => {
    // No marketing consent: the webhook withholds the phone, the pager reads it with its staff key.
    const anna = await checkIn(app, { name: 'Anna', partySize: 2, phone: '+4915112340001' });
    const table = await freeTable(app, 2);
    const started = Date.now();
    const paged = await app.http.post<Guest>(`/api/guests/${anna.id}/notify`, { tableId: table.id, message: 'Please come to the bar.' }, staff());
    expect(paged.status).toBe(200);
    const text = await textTo('+4915112340001');
    measured.push(`notify → text at the simulator: ${Date.now() - started} ms`);
    expect(text.from).toBe(SMS_FROM);
    expect(text.body).toBe(
      `Hi Anna, your table ${table.label} is ready! We hold it for 10 min. Please come to the bar. ` +
        'Reply 1 if you are on your way, or 9 to give up your table.',
    );
    // The simulator's signed status callbacks reach the pager, which verifies and logs them.
    await pager.waitFor(new RegExp(`text ${text.sid} to \\+4915112340001: delivered`));

    const { socket, pushes } = guestPage(anna.id, anna.token);
    try {
      await pushes.waitFor<Guest>('status', (s) => s.holdUntil === paged.body.holdUntil);
      const replied = Date.now();
      const answer = await reply('+4915112340001', '1');
      expect(answer).toEqual({ webhookStatus: 200, replies: ["Thanks, Anna! We'll see you in a moment."] });
      const pushed = await pushes.waitFor<Guest>('status', (s) => s.confirmedAt !== null, 10_000);
      measured.push(`reply 1 → guest page updated: ${Date.now() - replied} ms`);
      expect(pushed.confirmedAt).toBe((await guest(anna.id)).confirmedAt);
    } finally {
      socket.close();
    }
    expect((await feed()).filter((e) => e.type === 'guest.confirmed' && e.data.guest?.id === anna.id)).toHaveLength(1);
    // The simulator shows the TwiML answer in the conversation.
    expect((await messages()).some((m) => m.direction === 'outbound-reply' && m.to === '+4915112340001' && /Thanks, Anna/.test(m.body))).toBe(true);
  });

  it('reply 9 → the guest leaves (cancelled) and the held table is free; anything else → a help text', async () => {
    const bruno = await checkIn(app, { name: 'Bruno', partySize: 2, phone: '+4915112340002', marketingOptIn: true });
    const table = await freeTable(app, 2);
    const started = Date.now();
    expect((await app.http.post(`/api/guests/${bruno.id}/notify`, { tableId: table.id }, staff())).status).toBe(200);
    await textTo('+4915112340002');
    measured.push(`notify → text at the simulator, second page (warm pager): ${Date.now() - started} ms`);
    // The simulator's page, as a person uses it: the conversation and its reply box (a form post).
    const form = await fetch(`${gatewayUrl}/phones/${encodeURIComponent('+4915112340002')}/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ body: 'where?' }).toString(),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    const html = await (await fetch(`${gatewayUrl}/`)).text();
    expect(html).toContain('<h2>+4915112340002</h2>');
    expect(html).toContain('Hi Bruno, your table');
    expect(html).toContain('Reply 1 if you are on your way, or 9 to give up your table.');
    expect((await messages()).filter((m) => m.to === '+4915112340002' && m.direction === 'outbound-reply').map((m) => m.body)).toEqual([
      'Reply 1 if you are on your way, or 9 to give up your table.',
    ]);
    expect((await guest(bruno.id)).status).toBe('waiting');
    expect((await reply('+4915112340002', ' 9 ')).replies).toEqual(['Your table has been released. We hope to see you another time.']);
    const left = await guest(bruno.id);
    expect(left).toMatchObject({ status: 'left', leftReason: 'cancelled' });
    const tables = await app.http.get<Array<{ id: string; status: string; guestId?: string | null }>>('/api/tables', staff());
    expect(tables.body.find((t) => t.id === table.id)).toMatchObject({ status: 'free', guestId: null });
    expect((await feed()).filter((e) => e.type === 'guest.left' && e.data.guest?.id === bruno.id).map((e) => e.data.reason)).toEqual(['cancelled']);
  });

  it('a forged or altered Twilio signature is refused with 403 and changes nothing', async () => {
    const cleo = await checkIn(app, { name: 'Cleo', partySize: 2, phone: '+4915112340003' });
    expect((await app.http.post(`/api/guests/${cleo.id}/notify`, {}, staff())).status).toBe(200);
    await textTo('+4915112340003');
    const url = `${pagerUrl}/twilio/inbound`;
    const params = { AccountSid: ACCOUNT_SID, Body: '1', From: '+4915112340003', MessageSid: `SM${randomBytes(16).toString('hex')}`, To: SMS_FROM };
    const post = (body: Record<string, string>, signature: string | undefined) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) },
        body: new URLSearchParams(body).toString(),
      });
    const signed = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params);
    // Altered: a signature made for Body=1, sent with Body=9.
    expect((await post({ ...params, Body: '9' }, signed)).status).toBe(403);
    // Forged: signed with another token; and no signature at all.
    expect((await post(params, twilio.getExpectedTwilioSignature('not-the-token', url, params))).status).toBe(403);
    expect((await post(params, undefined)).status).toBe(403);
    const statusUrl = `${pagerUrl}/twilio/status`;
    const status = { MessageSid: params.MessageSid, MessageStatus: 'failed', To: '+4915112340003' };
    const forgedStatus = await fetch(statusUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature('nope', statusUrl, status) },
      body: new URLSearchParams(status).toString(),
    });
    expect(forgedStatus.status).toBe(403);
    const after = await guest(cleo.id);
    expect(after).toMatchObject({ status: 'waiting', confirmedAt: null });
    expect((await feed()).some((e) => (e.type === 'guest.confirmed' || e.type === 'guest.left') && e.data.guest?.id === cleo.id)).toBe(false);
    // The genuine signature over the same parameters is accepted (so the refusals above were about the signature).
    const genuine = await post(params, signed);
    expect(genuine.status).toBe(200);
    expect((await guest(cleo.id)).confirmedAt).not.toBeNull();
  });

  it('a paged guest without a phone is skipped with a log line', async () => {
    const dora = await checkIn(app, { name: 'Dora', partySize: 2 });
    expect((await app.http.post(`/api/guests/${dora.id}/notify`, {}, staff())).status).toBe(200);
    await pager.waitFor(new RegExp(`no phone number for Dora \\(${dora.id}\\); not texted`));
    expect((await messages()).some((m) => /Hi Dora/.test(m.body))).toBe(false);
  });

  it('a redelivery of guest.notified (same webhook-id) is acknowledged as a duplicate and sends no second text', async () => {
    const emil = await checkIn(app, { name: 'Emil', partySize: 2, phone: '+4915112340005' });
    expect((await app.http.post(`/api/guests/${emil.id}/notify`, {}, staff())).status).toBe(200);
    await textTo('+4915112340005');
    type Delivery = { id: string; eventType: string; status: string; attemptCount: number; attempts: Array<{ responseBody: string | null }> };
    const deliveries = async () =>
      (await app.http.get<Delivery[]>(`/api/webhooks/endpoints/${endpointId}/deliveries?limit=100`, { token: endpointsKey })).body;
    const events = (await app.http.get<{ data: Array<{ id: string; type: string; data: { guest?: Guest } }> }>('/api/events?limit=500', staff())).body.data;
    const notified = events.find((e) => e.type === 'guest.notified' && e.data.guest?.id === emil.id)!;
    const first = await waitFor(async () => (await deliveries()).find((d) => (d as Delivery & { eventId: string }).eventId === notified.id && d.status === 'succeeded'), {
      label: 'the first delivery',
    });
    expect((await app.http.post(`/api/webhooks/deliveries/${first.id}/retry`, undefined, { token: endpointsKey })).status).toBe(202);
    const retried = await waitFor(async () => {
      const delivery = (await deliveries()).find((d) => d.id === first.id);
      return delivery?.status === 'succeeded' && delivery.attemptCount === 2 ? delivery : undefined;
    }, { label: 'the redelivery' });
    expect(retried.attempts.map((a) => (JSON.parse(a.responseBody ?? '{}') as { duplicate?: boolean }).duplicate).sort()).toEqual([false, true]);
    await pager.waitFor(/redelivery of \S+ ignored/);
    expect((await messages()).filter((m) => m.to === '+4915112340005' && m.direction === 'outbound-api')).toHaveLength(1);
  });

  it("the simulator answers like Twilio's Messages API: basic auth, its error shapes, the library's own client", async () => {
    const url = `${gatewayUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const post = (auth: string, form: Record<string, string>) =>
      fetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    const wrong = await post(basic(ACCOUNT_SID, 'wrong-token'), { To: '+4915112340009', From: SMS_FROM, Body: 'x' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const auth = basic(ACCOUNT_SID, AUTH_TOKEN);
    expect(await (await post(auth, { From: SMS_FROM, Body: 'x' })).json()).toMatchObject({ code: 21604, status: 400 });
    expect(await (await post(auth, { To: '+4915112340009', From: SMS_FROM })).json()).toMatchObject({ code: 21602, status: 400 });
    expect(await (await post(auth, { To: 'not-a-number', From: SMS_FROM, Body: 'x' })).json()).toMatchObject({ code: 21211, status: 400 });

    // The official library, pointed at the simulator the same way the pager points it, gets Twilio's errors as RestException.
    const client = twilio(ACCOUNT_SID, 'wrong-token', {
      httpClient: new (class extends twilio.RequestClient {
        override request<T>(opts: RequestClient.RequestOptions<T>): Promise<TwilioResponse<T>> {
          const original = new URL(opts.uri);
          return super.request<T>({ ...opts, uri: `${gatewayUrl}${original.pathname}` });
        }
      })(),
    });
    await expect(client.messages.create({ to: '+4915112340009', from: SMS_FROM, body: 'x' })).rejects.toMatchObject({ status: 401, code: 20003 });
    const created = await post(auth, { To: '+4915112340009', From: SMS_FROM, Body: 'hello' });
    expect(created.status).toBe(201);
    const resource = (await created.json()) as Record<string, unknown>;
    expect(resource).toMatchObject({ account_sid: ACCOUNT_SID, to: '+4915112340009', from: SMS_FROM, body: 'hello', status: 'queued', direction: 'outbound-api' });
    expect(resource.sid).toMatch(/^SM[0-9a-f]{32}$/);
  });
});
