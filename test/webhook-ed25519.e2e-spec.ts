import { expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { checkIn, createKey, removeDir, startApp, TestApp } from './support/app';
import type { ErrorBody, Schemas } from './support/api-types';
import type { HttpResult } from './support/http';
import { type ReceivedWebhook, Receiver, verifiesEd25519 } from './support/receiver';

const ENDPOINTS = '/api/webhooks/endpoints';
const PUBLIC_KEY = /^whpk_[A-Za-z0-9+/]{43}=$/;
const EXAMPLE = join(__dirname, '..', 'examples', 'verify-ed25519.mjs');

/** Runs the README's verifier (examples/verify-ed25519.mjs) in plain node, as an integrator would: the event type, or its error. */
function exampleVerifies(publicKey: string, got: ReceivedWebhook): string {
  const script = `import { verifyEd25519 } from ${JSON.stringify(EXAMPLE)};
    const input = JSON.parse(process.env.INPUT);
    try { console.log(verifyEd25519(input.publicKey, input.headers, Buffer.from(input.body, 'utf8')).type); } catch (e) { console.log('refused: ' + e.message); }`;
  const input = JSON.stringify({ publicKey, headers: got.headers, body: got.body });
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, INPUT: input } })
    .toString()
    .trim();
}

function fieldsOf(result: HttpResult): string[] {
  return ((result.body as ErrorBody | undefined)?.details ?? []).map((detail) => detail.field);
}

describe('Ed25519 signing (Standard Webhooks v1a)', () => {
  let app: TestApp;
  const receiver = new Receiver();
  let key: string;

  beforeAll(async () => {
    await receiver.start();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: receiver.hostPort, SEED_DEMO: 'false' });
    key = await createKey(app, ['endpoints'], 'ed25519 integrator');
  });

  afterAll(async () => {
    const started = app as TestApp | undefined;
    await started?.close();
    await receiver.stop();
    if (started) removeDir(started.dir);
  });

  it('creates an ed25519 endpoint, shows only its public key, and signs v1a that node:crypto verifies', async () => {
    const created = await app.http.post<Schemas['CreatedEndpointResponse']>(
      ENDPOINTS,
      { url: receiver.url, signing: 'ed25519', eventTypes: ['guest.checked_in'] },
      { token: key },
    );
    expect(created.status).toBe(201);
    expect(created.body.signing).toBe('ed25519');
    expect(created.body.publicKey).toMatch(PUBLIC_KEY);
    expect(created.body).not.toHaveProperty('secret');
    const read = await app.http.get<Schemas['SecretResponse']>(`${ENDPOINTS}/${created.body.id}/secret`, { token: key });
    expect(read.body).toEqual({ publicKey: created.body.publicKey });
    receiver.publicKeys = [created.body.publicKey!];

    const guest = await checkIn(app, { name: 'Ada' });
    const got = await receiver.waitFor((r) => r.payload.type === 'guest.checked_in' && r.payload.data.guest.id === guest.id);
    expect(got.signature).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(got.verifiedEd25519).toBe(true);
    expect(exampleVerifies(created.body.publicKey!, got)).toBe('guest.checked_in');
    expect(exampleVerifies(created.body.publicKey!, { ...got, body: got.body.replace('Ada', 'Eve') })).toBe(
      'refused: no valid v1a signature',
    );
    // "Copy as curl": the delivery's request exactly as it went out, headers and signature included.
    const [delivery] = (
      await app.http.get<Schemas['DeliveryWithAttemptsResponse'][]>(`${ENDPOINTS}/${created.body.id}/deliveries`, { token: key })
    ).body;
    const sent = await app.http.get<Schemas['DeliveryRequestResponse']>(`/api/webhooks/deliveries/${delivery.id}/request`, {
      token: key,
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      method: 'POST',
      url: receiver.url,
      body: got.body,
      headers: {
        'content-type': got.headers['content-type'],
        'user-agent': got.headers['user-agent'],
        'webhook-id': got.id,
        'webhook-timestamp': got.timestamp,
        'webhook-signature': got.signature,
      },
    });
    const stranger = await createKey(app, ['endpoints'], 'stranger');
    expect((await app.http.get(`/api/webhooks/deliveries/${delivery.id}/request`, { token: stranger })).status).toBe(404);
    // Another key does not verify it, nor do changed bytes.
    const other = await app.http.post<Schemas['CreatedEndpointResponse']>(
      ENDPOINTS,
      { url: receiver.url, signing: 'ed25519', eventTypes: ['offer.created'] },
      { token: key },
    );
    expect(verifiesEd25519(other.body.publicKey!, got.id, got.timestamp, got.body, got.signature)).toBe(false);
    expect(verifiesEd25519(created.body.publicKey!, got.id, got.timestamp, `${got.body} `, got.signature)).toBe(false);
    await app.http.delete(`${ENDPOINTS}/${other.body.id}`, { token: key });
    await app.http.delete(`${ENDPOINTS}/${created.body.id}`, { token: key });
  });

  it('rotation gives a new key pair and both sign during the grace period', async () => {
    const created = (
      await app.http.post<Schemas['CreatedEndpointResponse']>(
        ENDPOINTS,
        { url: receiver.url, signing: 'ed25519' },
        { token: key },
      )
    ).body;
    const rotated = await app.http.post<Schemas['SecretResponse']>(`${ENDPOINTS}/${created.id}/rotate-secret`, undefined, {
      token: key,
    });
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body)).toEqual(['publicKey']);
    expect(rotated.body.publicKey).toMatch(PUBLIC_KEY);
    expect(rotated.body.publicKey).not.toBe(created.publicKey);
    expect((await app.http.get<Schemas['SecretResponse']>(`${ENDPOINTS}/${created.id}/secret`, { token: key })).body).toEqual(
      rotated.body,
    );

    const test = await app.http.post<Schemas['TestSentResponse']>(`${ENDPOINTS}/${created.id}/test`, undefined, { token: key });
    const got = await receiver.waitFor((r) => r.id === test.body.eventId);
    const parts = got.signature.split(' ');
    expect(parts).toHaveLength(2);
    expect(parts.every((part) => part.startsWith('v1a,'))).toBe(true);
    for (const publicKey of [created.publicKey!, rotated.body.publicKey!]) {
      expect(verifiesEd25519(publicKey, got.id, got.timestamp, got.body, got.signature)).toBe(true);
    }
    await app.http.delete(`${ENDPOINTS}/${created.id}`, { token: key });
  });

  it('switching signing by PATCH makes the new material, and the old keeps signing alongside', async () => {
    const created = (await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url: receiver.url }, { token: key }))
      .body;
    expect(created.signing).toBe('hmac');
    expect(created.secret).toMatch(/^whsec_/);

    const patched = await app.http.patch<Schemas['EndpointResponse']>(
      `${ENDPOINTS}/${created.id}`,
      { signing: 'ed25519' },
      { token: key },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.signing).toBe('ed25519');
    const { publicKey } = (await app.http.get<Schemas['SecretResponse']>(`${ENDPOINTS}/${created.id}/secret`, { token: key }))
      .body;
    expect(publicKey).toMatch(PUBLIC_KEY);

    receiver.secrets = [created.secret!];
    const test = await app.http.post<Schemas['TestSentResponse']>(`${ENDPOINTS}/${created.id}/test`, undefined, { token: key });
    const got = await receiver.waitFor((r) => r.id === test.body.eventId);
    expect(got.signature.split(' ').map((part) => part.split(',')[0])).toEqual(['v1a', 'v1']);
    expect(verifiesEd25519(publicKey!, got.id, got.timestamp, got.body, got.signature)).toBe(true);
    // An HMAC receiver that has not switched yet still verifies with the standardwebhooks library.
    expect(got.verified).toBe(true);

    // And back: a fresh whsec_ secret, the Ed25519 key alongside for the grace period.
    const back = await app.http.patch<Schemas['EndpointResponse']>(
      `${ENDPOINTS}/${created.id}`,
      { signing: 'hmac' },
      { token: key },
    );
    expect(back.body.signing).toBe('hmac');
    const { secret } = (await app.http.get<Schemas['SecretResponse']>(`${ENDPOINTS}/${created.id}/secret`, { token: key })).body;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(created.secret);
    await app.http.delete(`${ENDPOINTS}/${created.id}`, { token: key });
  });

  it('refuses an unknown signing scheme with 400 naming the field, on create and PATCH', async () => {
    const bad = await app.http.post<ErrorBody>(ENDPOINTS, { url: receiver.url, signing: 'rsa' }, { token: key });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['signing']);
    const created = (await app.http.post<Schemas['CreatedEndpointResponse']>(ENDPOINTS, { url: receiver.url }, { token: key }))
      .body;
    for (const signing of ['RSA', null, 1]) {
      const patched = await app.http.patch<ErrorBody>(`${ENDPOINTS}/${created.id}`, { signing }, { token: key });
      expect(patched.status).toBe(400);
      expect(fieldsOf(patched)).toEqual(['signing']);
    }
    await app.http.delete(`${ENDPOINTS}/${created.id}`, { token: key });
  });
});
