import { expect } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { checkIn, createKey, removeDir, startApp, TestApp } from './support/app';
import type { HttpResult } from './support/http';
import { eventually, guestIdOf, Receiver } from './support/receiver';
import type { Schemas, ErrorBody, TestSent } from './support/api-types';

const ENDPOINTS = '/api/webhooks/endpoints';

/** The fields an error response names in `details`. */
function fieldsOf(result: HttpResult): string[] {
  const details = (result.body as { details?: { field: string }[] } | undefined)?.details ?? [];
  return details.map((detail) => detail.field);
}

/** `whsec_` + standard base64 of exactly 32 bytes. */
function expectSecret(secret: unknown): void {
  expect(typeof secret).toBe('string');
  const text = secret as string;
  expect(text).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
  const raw = Buffer.from(text.slice('whsec_'.length), 'base64');
  expect(raw.length).toBe(32);
  // Round-trips, so no characters were silently dropped by the decoder.
  expect(raw.toString('base64')).toBe(text.slice('whsec_'.length));
}

/** A delivery list of an endpoint, as its owner sees it. */
async function deliveriesOf(app: TestApp, endpointId: string, key: string): Promise<Schemas['DeliveryWithAttemptsResponse'][]> {
  const result = await app.http.get<Schemas['DeliveryWithAttemptsResponse'][]>(`${ENDPOINTS}/${endpointId}/deliveries`, {
    token: key,
  });
  expect(result.status).toBe(200);
  return result.body;
}

describe('webhook endpoints API', () => {
  let app: TestApp;
  const receiver = new Receiver();
  const otherReceiver = new Receiver();
  const flakyReceiver = new Receiver();
  let keyA: string;
  let keyB: string;
  let staffKey: string;

  beforeAll(async () => {
    await receiver.start();
    await otherReceiver.start();
    await flakyReceiver.start();
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: [receiver, otherReceiver, flakyReceiver].map((r) => r.hostPort).join(','),
      // A failed attempt stays pending for an hour, so stats and backlogs are deterministic here.
      WEBHOOK_RETRY_SCHEDULE: '1h',
      SEED_DEMO: 'false',
    });
    keyA = await createKey(app, ['endpoints'], 'integrator A');
    keyB = await createKey(app, ['endpoints'], 'integrator B');
    staffKey = await createKey(app, ['staff'], 'front desk');
  });

  afterAll(async () => {
    // Unset when beforeAll failed.
    const started = app as TestApp | undefined;
    await started?.close();
    await receiver.stop();
    await otherReceiver.stop();
    await flakyReceiver.stop();
    if (started) removeDir(started.dir);
  });

  describe('lifecycle with an endpoints key', () => {
    it('creates an endpoint and returns it with a Standard Webhooks secret', async () => {
      const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
        ENDPOINTS,
        { url: receiver.url, description: 'crm', eventTypes: ['guest.checked_in', 'guest.left'] },
        { token: keyA },
      );
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^ep_[0-9A-HJKMNP-TV-Z]{26}$/),
        url: receiver.url,
        description: 'crm',
        eventTypes: ['guest.checked_in', 'guest.left'],
        enabled: true,
        disabledReason: null,
        signing: 'hmac',
        health: 'healthy',
        nextProbeAt: null,
        rateLimitPerSecond: null,
        ordering: 'none',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        secret: expect.any(String),
      });
      expectSecret(created.body.secret);
      expect(new Date(created.body.createdAt).toISOString()).toBe(created.body.createdAt);

      const minimal = await app.http.post<Schemas['CreatedEndpointResponse']>(
        ENDPOINTS,
        { url: otherReceiver.url },
        { token: keyA },
      );
      expect(minimal.status).toBe(201);
      expect(minimal.body).toMatchObject({ description: null, eventTypes: [], enabled: true });
      expectSecret(minimal.body.secret);
      expect(minimal.body.secret).not.toBe(created.body.secret);
      for (const { id } of [created.body, minimal.body]) {
        expect((await app.http.delete(`${ENDPOINTS}/${id}`, { token: keyA })).status).toBe(204);
      }
    });

    it('lists, gets, reads the secret, rotates it, updates and deletes', async () => {
      const created = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(
          ENDPOINTS,
          { url: receiver.url, description: 'lifecycle' },
          { token: keyA },
        )
      ).body;
      const { secret, ...view } = created;

      const list = await app.http.get<Schemas['EndpointResponse'][]>(ENDPOINTS, { token: keyA });
      expect(list.status).toBe(200);
      expect(list.body).toContainEqual(view);
      expect(list.body.every((endpoint: Record<string, unknown>) => !('secret' in endpoint))).toBe(true);

      const got = await app.http.get<Schemas['EndpointResponse']>(`${ENDPOINTS}/${created.id}`, { token: keyA });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(view);

      const readSecret = await app.http.get<Schemas['SecretResponse']>(`${ENDPOINTS}/${created.id}/secret`, { token: keyA });
      expect(readSecret.status).toBe(200);
      expect(readSecret.body).toEqual({ secret });

      const rotated = await app.http.post<Schemas['SecretResponse']>(`${ENDPOINTS}/${created.id}/rotate-secret`, undefined, {
        token: keyA,
      });
      expect(rotated.status).toBe(200);
      expect(Object.keys(rotated.body)).toEqual(['secret']);
      expectSecret(rotated.body.secret);
      expect(rotated.body.secret).not.toBe(secret);
      expect((await app.http.get<Schemas['SecretResponse']>(`${ENDPOINTS}/${created.id}/secret`, { token: keyA })).body).toEqual({
        secret: rotated.body.secret,
      });

      // During the grace period both secrets sign: each one alone verifies the same request.
      receiver.secrets = [rotated.body.secret!];
      const test = await app.http.post<TestSent>(`${ENDPOINTS}/${created.id}/test`, undefined, { token: keyA });
      expect(test.status).toBe(202);
      expect(test.body.eventId).toMatch(/^evt_/);
      const got1 = await receiver.waitFor((r) => r.id === test.body.eventId);
      expect(got1.payload).toMatchObject({ type: 'webhook.test', data: { endpointId: created.id } });
      expect(got1.verified).toBe(true);
      expect(got1.verifiedBySvix).toBe(true);
      expect(got1.signature.split(' ')).toHaveLength(2);
      const headers = { 'webhook-id': got1.id, 'webhook-timestamp': got1.timestamp, 'webhook-signature': got1.signature };
      expect(() => new Webhook(secret!).verify(got1.body, headers)).not.toThrow();
      expect(() => new Webhook(rotated.body.secret!).verify(got1.body, headers)).not.toThrow();

      const patched = await app.http.patch<Schemas['EndpointResponse']>(
        `${ENDPOINTS}/${created.id}`,
        { url: otherReceiver.url, description: 'moved', eventTypes: ['offer.created'] },
        { token: keyA },
      );
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        id: created.id,
        url: otherReceiver.url,
        description: 'moved',
        eventTypes: ['offer.created'],
        enabled: true,
        createdAt: created.createdAt,
      });
      expect(patched.body.updatedAt >= created.updatedAt).toBe(true);
      expect((await app.http.get<Schemas['EndpointResponse']>(`${ENDPOINTS}/${created.id}`, { token: keyA })).body).toEqual(
        patched.body,
      );

      const disabled = await app.http.patch<Schemas['EndpointResponse']>(
        `${ENDPOINTS}/${created.id}`,
        { enabled: false },
        { token: keyA },
      );
      expect(disabled.status).toBe(200);
      expect(disabled.body.enabled).toBe(false);
      expect(typeof disabled.body.disabledReason).toBe('string');
      expect(disabled.body.url).toBe(otherReceiver.url);

      const enabled = await app.http.patch<Schemas['EndpointResponse']>(
        `${ENDPOINTS}/${created.id}`,
        { enabled: true, eventTypes: [] },
        { token: keyA },
      );
      expect(enabled.status).toBe(200);
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, eventTypes: [] });

      const removed = await app.http.delete(`${ENDPOINTS}/${created.id}`, { token: keyA });
      expect(removed.status).toBe(204);
      expect((await app.http.get<ErrorBody>(`${ENDPOINTS}/${created.id}`, { token: keyA })).status).toBe(404);
      expect((await app.http.get<ErrorBody>(`${ENDPOINTS}/${created.id}/secret`, { token: keyA })).status).toBe(404);
      expect((await app.http.get<ErrorBody>(`${ENDPOINTS}/${created.id}/deliveries`, { token: keyA })).status).toBe(404);
      expect((await app.http.patch<ErrorBody>(`${ENDPOINTS}/${created.id}`, { description: 'x' }, { token: keyA })).status).toBe(
        404,
      );
      expect((await app.http.delete<ErrorBody>(`${ENDPOINTS}/${created.id}`, { token: keyA })).status).toBe(404);
      const after = await app.http.get<Schemas['EndpointResponse'][]>(ENDPOINTS, { token: keyA });
      expect(after.body.map((endpoint: { id: string }) => endpoint.id)).not.toContain(created.id);
    });

    it('filters by eventTypes: only matching events become deliveries', async () => {
      const endpoint = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(
          ENDPOINTS,
          { url: receiver.url, eventTypes: ['guest.left'] },
          { token: keyA },
        )
      ).body;
      const guest = await checkIn(app, { name: 'Filter' });
      const left = await app.http.post<Schemas['GuestResponse']>(`/api/guests/${guest.id}/leave`, {}, { token: app.adminKey });
      expect(left.status).toBe(200);
      const deliveries = await eventually(
        async () => {
          const list = await deliveriesOf(app, endpoint.id, keyA);
          return list.length > 0 && list.every((d) => d.status === 'succeeded') ? list : undefined;
        },
        5_000,
        'the guest.left delivery',
      );
      expect(deliveries.map((d) => d.eventType)).toEqual(['guest.left']);
      await app.http.delete(`${ENDPOINTS}/${endpoint.id}`, { token: keyA });
    });
  });

  describe('input validation', () => {
    it('refuses an unknown event type with 400 naming eventTypes, on create and on PATCH', async () => {
      const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
        ENDPOINTS,
        { url: receiver.url, eventTypes: ['guest.checked_in', 'guest.teleported'] },
        { token: keyA },
      );
      expect(created.status).toBe(400);
      expect(fieldsOf(created)).toContain('eventTypes');

      const notAList = await app.http.post<ErrorBody>(
        ENDPOINTS,
        { url: receiver.url, eventTypes: 'guest.left' },
        { token: keyA },
      );
      expect(notAList.status).toBe(400);
      expect(fieldsOf(notAList)).toContain('eventTypes');

      const endpoint = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url: receiver.url }, { token: keyA })
      ).body;
      const patched = await app.http.patch<ErrorBody>(`${ENDPOINTS}/${endpoint.id}`, { eventTypes: ['nope'] }, { token: keyA });
      expect(patched.status).toBe(400);
      expect(fieldsOf(patched)).toContain('eventTypes');
      expect(
        (await app.http.get<Schemas['EndpointResponse']>(`${ENDPOINTS}/${endpoint.id}`, { token: keyA })).body.eventTypes,
      ).toEqual([]);
      await app.http.delete(`${ENDPOINTS}/${endpoint.id}`, { token: keyA });
    });

    it.each([
      ['not a URL', 'not a url'],
      ['a relative path', '/hooks/maitred'],
      ['an ftp URL', 'ftp://example.com/'],
      ['a file URL', 'file:///etc/passwd'],
      ['a javascript URL', 'javascript:alert(1)'],
      ['an empty string', ''],
      ['a number', 42],
      ['null', null],
    ])('refuses %s as url with 400 naming url', async (_label, url) => {
      const result = await app.http.post<ErrorBody>(ENDPOINTS, { url }, { token: keyA });
      expect(result.status).toBe(400);
      expect(fieldsOf(result)).toContain('url');
    });

    it('refuses a missing url, unknown fields, and a bad URL on PATCH', async () => {
      const missing = await app.http.post<ErrorBody>(ENDPOINTS, { description: 'no url' }, { token: keyA });
      expect(missing.status).toBe(400);
      expect(fieldsOf(missing)).toContain('url');

      const unknown = await app.http.post<ErrorBody>(ENDPOINTS, { url: receiver.url, secret: 'whsec_mine' }, { token: keyA });
      expect(unknown.status).toBe(400);

      const endpoint = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url: receiver.url }, { token: keyA })
      ).body;
      const patched = await app.http.patch<ErrorBody>(
        `${ENDPOINTS}/${endpoint.id}`,
        { url: 'ftp://example.com/' },
        { token: keyA },
      );
      expect(patched.status).toBe(400);
      expect(fieldsOf(patched)).toContain('url');
      const enabledNotBoolean = await app.http.patch<ErrorBody>(
        `${ENDPOINTS}/${endpoint.id}`,
        { enabled: 'yes' },
        { token: keyA },
      );
      expect(enabledNotBoolean.status).toBe(400);
      expect(fieldsOf(enabledNotBoolean)).toContain('enabled');
      expect(
        (await app.http.get<Schemas['EndpointResponse']>(`${ENDPOINTS}/${endpoint.id}`, { token: keyA })).body,
      ).toMatchObject({
        url: receiver.url,
        enabled: true,
      });
      await app.http.delete(`${ENDPOINTS}/${endpoint.id}`, { token: keyA });
    });
  });

  describe('access', () => {
    it('needs a key (401) with the endpoints scope (403 for staff)', async () => {
      const routes: [string, string, unknown?][] = [
        ['POST', ENDPOINTS, { url: receiver.url }],
        ['GET', ENDPOINTS],
        ['GET', `${ENDPOINTS}/ep_x`],
        ['PATCH', `${ENDPOINTS}/ep_x`, { description: 'x' }],
        ['DELETE', `${ENDPOINTS}/ep_x`],
        ['GET', `${ENDPOINTS}/ep_x/secret`],
        ['POST', `${ENDPOINTS}/ep_x/rotate-secret`],
        ['POST', `${ENDPOINTS}/ep_x/test`],
        ['GET', `${ENDPOINTS}/ep_x/deliveries`],
        ['POST', '/api/webhooks/deliveries/dlv_x/retry'],
      ];
      for (const [method, path, body] of routes) {
        const anonymous = await app.http.request(method, path, { body });
        expect([method, path, anonymous.status]).toEqual([method, path, 401]);
        const wrongKey = await app.http.request(method, path, { body, token: 'not-a-real-key-at-all' });
        expect([method, path, wrongKey.status]).toEqual([method, path, 401]);
        const staff = await app.http.request(method, path, { body, token: staffKey });
        expect([method, path, staff.status]).toEqual([method, path, 403]);
      }
    });

    it("keeps one key's endpoints and deliveries invisible to another (404), and lets admin see all", async () => {
      const endpointA = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(
          ENDPOINTS,
          { url: receiver.url, description: 'A' },
          { token: keyA },
        )
      ).body;
      const endpointB = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(
          ENDPOINTS,
          { url: otherReceiver.url, description: 'B' },
          { token: keyB },
        )
      ).body;
      receiver.secrets = [endpointA.secret!];
      const test = await app.http.post<TestSent>(`${ENDPOINTS}/${endpointA.id}/test`, undefined, { token: keyA });
      expect(test.status).toBe(202);
      await receiver.waitFor((r) => r.id === test.body.eventId);
      const [deliveryA] = await eventually(
        async () => {
          const list = await deliveriesOf(app, endpointA.id, keyA);
          return list.length === 1 && list[0].status === 'succeeded' ? list : undefined;
        },
        5_000,
        "A's test delivery",
      );
      expect(deliveryA).toMatchObject({ endpointId: endpointA.id, eventId: test.body.eventId, eventType: 'webhook.test' });

      const forB: [string, string, unknown?][] = [
        ['GET', `${ENDPOINTS}/${endpointA.id}`],
        ['PATCH', `${ENDPOINTS}/${endpointA.id}`, { url: otherReceiver.url, description: 'hijacked' }],
        ['GET', `${ENDPOINTS}/${endpointA.id}/secret`],
        ['POST', `${ENDPOINTS}/${endpointA.id}/rotate-secret`],
        ['POST', `${ENDPOINTS}/${endpointA.id}/test`],
        ['GET', `${ENDPOINTS}/${endpointA.id}/deliveries`],
        ['POST', `${ENDPOINTS}/${endpointA.id}/recover`, { since: '2000-01-01T00:00:00.000Z' }],
        ['POST', `/api/webhooks/deliveries/${deliveryA.id}/retry`],
        ['DELETE', `${ENDPOINTS}/${endpointA.id}`],
      ];
      const receivedBefore = receiver.received.length;
      for (const [method, path, body] of forB) {
        const result = await app.http.request(method, path, { body, token: keyB });
        expect([method, path, result.status]).toEqual([method, path, 404]);
        expect(result.text).not.toContain(endpointA.secret);
      }

      // A's endpoint, secret and deliveries are untouched by all that.
      const stillA = await app.http.get<Schemas['EndpointResponse']>(`${ENDPOINTS}/${endpointA.id}`, { token: keyA });
      expect(stillA.status).toBe(200);
      expect(stillA.body).toMatchObject({ url: receiver.url, description: 'A', updatedAt: endpointA.updatedAt });
      expect(
        (await app.http.get<Schemas['SecretResponse']>(`${ENDPOINTS}/${endpointA.id}/secret`, { token: keyA })).body.secret,
      ).toBe(endpointA.secret);
      const deliveriesA = await deliveriesOf(app, endpointA.id, keyA);
      expect(deliveriesA).toHaveLength(1);
      expect(deliveriesA[0]).toMatchObject({ id: deliveryA.id, status: 'succeeded', attemptCount: 1 });
      expect(receiver.received.length).toBe(receivedBefore);

      const listB = (await app.http.get<Schemas['EndpointResponse'][]>(ENDPOINTS, { token: keyB })).body.map(
        (e: { id: string }) => e.id,
      );
      expect(listB).toContain(endpointB.id);
      expect(listB).not.toContain(endpointA.id);
      const listA = (await app.http.get<Schemas['EndpointResponse'][]>(ENDPOINTS, { token: keyA })).body.map(
        (e: { id: string }) => e.id,
      );
      expect(listA).toContain(endpointA.id);
      expect(listA).not.toContain(endpointB.id);

      // Admin sees and manages everyone's.
      const listAdmin = (await app.http.get<Schemas['EndpointResponse'][]>(ENDPOINTS, { token: app.adminKey })).body.map(
        (e: { id: string }) => e.id,
      );
      expect(listAdmin).toEqual(expect.arrayContaining([endpointA.id, endpointB.id]));
      expect(
        (await app.http.get<Schemas['EndpointResponse']>(`${ENDPOINTS}/${endpointB.id}`, { token: app.adminKey })).status,
      ).toBe(200);
      expect(
        (
          await app.http.get<Schemas['DeliveryWithAttemptsResponse'][]>(`${ENDPOINTS}/${endpointA.id}/deliveries`, {
            token: app.adminKey,
          })
        ).body,
      ).toHaveLength(1);
      const retried = await app.http.post<Schemas['DeliveryResponse']>(
        `/api/webhooks/deliveries/${deliveryA.id}/retry`,
        undefined,
        { token: keyA },
      );
      expect(retried.status).toBe(202);
      await receiver.waitForCount(receivedBefore + 1, () => true, 5_000);
      expect((await app.http.delete(`${ENDPOINTS}/${endpointB.id}`, { token: app.adminKey })).status).toBe(204);
      expect((await app.http.get<ErrorBody>(`${ENDPOINTS}/${endpointB.id}`, { token: keyB })).status).toBe(404);
      await app.http.delete(`${ENDPOINTS}/${endpointA.id}`, { token: keyA });
    });
  });

  describe('SSRF at registration', () => {
    /** Refused forms; nothing listens on any of them, and a refusal means nothing is stored to contact. */
    const REFUSED: string[] = [
      'http://127.0.0.1/',
      'https://127.0.0.1:443/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://017700000001/',
      'http://0x7f.1/',
      'http://127.1/',
      'http://0/',
      'http://[::1]/',
      'http://[0:0:0:0:0:0:0:1]/',
      'http://[::]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://[::127.0.0.1]/',
      'http://[64:ff9b::7f00:1]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[2002:7f00:1::]/',
      'http://[2002:a00:1::]/',
      'http://10.0.0.1/',
      'http://10.1/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:169.254.169.254]/latest/meta-data',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://255.255.255.255/',
      'http://192.0.2.1/',
      'http://198.18.0.1/',
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://[fd12:3456::1]/',
      'http://[ff02::1]/',
      'http://[2001:db8::1]/',
      'http://224.0.0.1/',
      'http://localhost:1234/',
      'HTTP://LOCALHOST/',
      'ftp://example.com/',
      'gopher://example.com/',
      'http://user:pass@example.com/',
      'http://user@example.com/',
      'http://example.com@127.0.0.1/',
    ];

    it.each(REFUSED)('refuses %s with 400 naming url', async (url) => {
      const created = await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url }, { token: keyA });
      expect([url, created.status]).toEqual([url, 400]);
      expect(fieldsOf(created)).toContain('url');
    });

    it('stored none of the refused URLs, and refuses them on PATCH too', async () => {
      const stored = (await app.http.get<Schemas['EndpointResponse'][]>(ENDPOINTS, { token: app.adminKey })).body.map(
        (e: { url: string }) => e.url,
      );
      for (const url of REFUSED) expect(stored).not.toContain(url);

      const endpoint = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url: receiver.url }, { token: keyA })
      ).body;
      for (const url of ['http://[::1]/', 'http://169.254.169.254/', `http://[::ffff:127.0.0.1]:${receiver.port}/hook`]) {
        const patched = await app.http.patch<Schemas['EndpointResponse']>(
          `${ENDPOINTS}/${endpoint.id}`,
          { url },
          { token: keyA },
        );
        expect([url, patched.status]).toEqual([url, 400]);
        expect(fieldsOf(patched)).toContain('url');
      }
      expect((await app.http.get<Schemas['EndpointResponse']>(`${ENDPOINTS}/${endpoint.id}`, { token: keyA })).body.url).toBe(
        receiver.url,
      );
      await app.http.delete(`${ENDPOINTS}/${endpoint.id}`, { token: keyA });
    });

    it('lets exactly the allow-listed host:port through', async () => {
      const allowedPorts = new Set([receiver.port, otherReceiver.port, flakyReceiver.port]);
      let otherPort = receiver.port + 1;
      while (allowedPorts.has(otherPort)) otherPort += 1;
      for (const url of [
        `http://127.0.0.1:${otherPort}/hook`,
        `http://127.0.0.1/hook`,
        // Loopback spellings match one another only on an allowed port; other spellings of the address are not on it.
        `http://localhost:${otherPort}/hook`,
        `http://[::ffff:127.0.0.1]:${receiver.port}/hook`,
      ]) {
        const refused = await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url }, { token: keyA });
        expect([url, refused.status]).toEqual([url, 400]);
      }
      // 127.0.0.1:<port> is listed; localhost and [::1] on that port name the same machine and pass too.
      for (const url of [
        `http://127.0.0.1:${receiver.port}/allowed`,
        `http://localhost:${receiver.port}/allowed`,
        `http://[::1]:${receiver.port}/allowed`,
      ]) {
        const allowed = await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url }, { token: keyA });
        expect([url, allowed.status]).toEqual([url, 201]);
        await app.http.delete(`${ENDPOINTS}/${allowed.body.id}`, { token: keyA });
      }
    });

    it('accepts a name that does not resolve, whose delivery then fails with dns', async () => {
      const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
        ENDPOINTS,
        { url: 'http://does-not-exist.invalid/hook', eventTypes: ['guest.checked_in'] },
        { token: keyA },
      );
      expect(created.status).toBe(201);
      await checkIn(app, { name: 'Nowhere' });
      const [delivery] = await eventually(
        async () => {
          const list = await deliveriesOf(app, created.body.id, keyA);
          return list.length === 1 && list[0].attemptCount >= 1 ? list : undefined;
        },
        5_000,
        'the attempt to an unresolvable name',
      );
      expect(delivery).toMatchObject({ eventType: 'guest.checked_in', lastError: 'dns', lastStatusCode: null });
      expect(delivery.attempts[0]).toMatchObject({ error: 'dns', statusCode: null, responseBody: null });
      await app.http.delete(`${ENDPOINTS}/${created.body.id}`, { token: keyA });
    });
  });

  describe('GET /api/webhooks/stats', () => {
    it('is for admins only', async () => {
      expect((await app.http.get<ErrorBody>('/api/webhooks/stats')).status).toBe(401);
      expect((await app.http.get<ErrorBody>('/api/webhooks/stats', { token: keyA })).status).toBe(403);
      expect((await app.http.get<ErrorBody>('/api/webhooks/stats', { token: staffKey })).status).toBe(403);
    });

    it('reports success rate, latency percentiles, backlog and the last error per endpoint', async () => {
      const healthy = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(
          ENDPOINTS,
          { url: receiver.url, eventTypes: ['guest.checked_in'] },
          { token: keyA },
        )
      ).body;
      const flaky = (
        await app.http.post<Schemas['CreatedEndpointResponse']>(
          ENDPOINTS,
          { url: flakyReceiver.url, eventTypes: ['guest.checked_in'] },
          { token: keyB },
        )
      ).body;
      let flakyCalls = 0;
      flakyReceiver.respond = (_request, res) => {
        flakyCalls += 1;
        // Every second delivery fails, and says why, slowly (the latency percentiles must show it).
        if (flakyCalls % 2 === 0)
          setTimeout(() => res.writeHead(500, { 'content-type': 'text/plain' }).end('kitchen on fire'), 150);
        else res.writeHead(204).end();
      };
      for (let i = 0; i < 4; i += 1) await checkIn(app, { name: `Stats ${i}` });
      const settled = async (id: string, key: string) =>
        eventually(
          async () => {
            const list = await deliveriesOf(app, id, key);
            return list.length === 4 && list.every((d) => d.attemptCount === 1) ? list : undefined;
          },
          5_000,
          `4 attempted deliveries to ${id}`,
        );
      await settled(healthy.id, keyA);
      const flakyDeliveries = await settled(flaky.id, keyB);
      expect(flakyDeliveries.filter((d) => d.status === 'pending')).toHaveLength(2);
      expect(flakyDeliveries.filter((d) => d.status === 'pending').every((d) => d.lastError === 'http_500')).toBe(true);
      const failedAttempt = flakyDeliveries.find((d) => d.status === 'pending')?.attempts[0];
      expect(failedAttempt).toMatchObject({ statusCode: 500, error: 'http_500', responseBody: 'kitchen on fire' });

      const stats = await app.http.get<Schemas['EndpointStatsResponse'][]>('/api/webhooks/stats', { token: app.adminKey });
      expect(stats.status).toBe(200);
      expect(Array.isArray(stats.body)).toBe(true);
      const ofHealthy = stats.body.find((s: { endpointId: string }) => s.endpointId === healthy.id);
      const ofFlaky = stats.body.find((s: { endpointId: string }) => s.endpointId === flaky.id);
      expect(ofHealthy).toMatchObject({ successRate: 1, backlog: 0, lastError: null });
      expect(ofFlaky).toMatchObject({ successRate: 0.5, backlog: 2, lastError: 'http_500' });
      for (const entry of [ofHealthy, ofFlaky]) {
        expect(typeof entry?.p50LatencyMs).toBe('number');
        expect(typeof entry?.p99LatencyMs).toBe('number');
        expect(entry?.p99LatencyMs).toBeGreaterThanOrEqual(entry?.p50LatencyMs ?? Infinity);
      }
      // Half of the flaky endpoint's attempts took 150 ms; the 99th percentile is one of them.
      expect(ofFlaky?.p99LatencyMs).toBeGreaterThanOrEqual(145);
      // Admin's view covers every key's endpoints.
      expect(stats.body.length).toBe(
        (await app.http.get<Schemas['EndpointResponse'][]>(ENDPOINTS, { token: app.adminKey })).body.length,
      );
    });
  });
});

/**
 * The connect-time guard, end to end. Registration refuses loopback unless allow-listed, so the
 * only honest way to get a loopback URL stored is the allow-list itself: register while it lists
 * the receiver, then restart without it (an operator tightening the list). Every later attempt
 * must be stopped by the guard inside the sender, for an IP literal and for a name alike.
 */
describe('SSRF at connect time', () => {
  const receiver = new Receiver();
  let app: TestApp;

  beforeAll(async () => {
    await receiver.start();
    app = await startApp({
      WEBHOOK_ALLOWED_HOSTS: `${receiver.hostPort},localhost:${receiver.port}`,
      WEBHOOK_RETRY_SCHEDULE: '1h',
      SEED_DEMO: 'false',
    });
  });

  afterAll(async () => {
    // Unset when beforeAll failed.
    const started = app as TestApp | undefined;
    await started?.close();
    await receiver.stop();
    if (started) removeDir(started.dir);
  });

  it('blocks delivery to a stored loopback URL, by IP literal or by name, once it is no longer allow-listed', async () => {
    const key = await createKey(app, ['endpoints']);
    const byLiteral = (
      await app.http.post<Schemas['CreatedEndpointResponse']>(
        ENDPOINTS,
        { url: receiver.url, eventTypes: ['guest.checked_in'] },
        { token: key },
      )
    ).body;
    const byName = (
      await app.http.post<Schemas['CreatedEndpointResponse']>(
        ENDPOINTS,
        { url: `http://localhost:${receiver.port}/by-name`, eventTypes: ['guest.checked_in'] },
        { token: key },
      )
    ).body;
    expect([byLiteral.id, byName.id]).toEqual([expect.stringMatching(/^ep_/), expect.stringMatching(/^ep_/)]);
    receiver.secrets = [byLiteral.secret!, byName.secret!];

    // While allow-listed, both really reach the receiver, so a later failure is the guard's doing.
    const before = await checkIn(app, { name: 'Allowed' });
    await receiver.waitForCount(2, (r) => guestIdOf(r) === before.id, 5_000);

    app = await app.restart({ WEBHOOK_ALLOWED_HOSTS: '' });
    expect((await app.http.post<ErrorBody>(ENDPOINTS, { url: receiver.url }, { token: key })).status).toBe(400);
    const receivedBefore = receiver.received.length;

    const after = await checkIn(app, { name: 'Blocked' });
    const test = await app.http.post<TestSent>(`${ENDPOINTS}/${byName.id}/test`, undefined, { token: key });
    expect(test.status).toBe(202);
    for (const [endpoint, expected] of [
      [byLiteral, 1],
      [byName, 2],
    ] as const) {
      const blocked = await eventually(
        async () => {
          const list = (await deliveriesOf(app, endpoint.id, key)).filter((d) => d.eventId !== before.id);
          const fresh = list.filter((d) => d.createdAt >= String(after.checkedInAt));
          return fresh.length === expected && fresh.every((d) => d.attemptCount >= 1) ? fresh : undefined;
        },
        5_000,
        `blocked attempts to ${endpoint.url}`,
      );
      for (const delivery of blocked) {
        expect(delivery).toMatchObject({ status: 'pending', lastError: 'blocked_address', lastStatusCode: null });
        expect(delivery.attempts[0]).toMatchObject({ error: 'blocked_address', statusCode: null });
      }
    }
    expect(receiver.received.length).toBe(receivedBefore);
  });
});
