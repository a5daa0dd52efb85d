import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, removeDir, tempDir } from './support/app';
import { Http } from './support/http';
import { cleanEnv, EXAMPLES_DIST, freePort, killAll, NodeProcess } from './support/processes';
import { eventually } from './support/receiver';
import type { Schemas } from './support/api-types';

/**
 * `npm start` itself (scripts/start.js), run twice on one data directory: the demo's keys and
 * endpoints are created once, a key that stopped working is replaced, every URL is printed, the
 * wiring works end to end, and Ctrl-C stops all of it with status 0.
 */

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..');
const WELCOME = 'Welcome, Anna! Your first drink is on us.';

interface DemoState {
  adminApiKey: string;
  keys: Record<string, { id: string; key: string }>;
}
interface Endpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
}

const onSqlite = process.env.MAITRED_TEST_DB === 'postgres' ? describe.skip : describe;

onSqlite('npm start (scripts/start.js)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('maitred-start-');
  });
  afterAll(() => {
    killAll();
    removeDir(dir);
  });

  interface Ports {
    port: number;
    greeter: number;
    crm: number;
    gateway: number;
    mailer: number;
    mailSink: number;
    smtp: number;
    sms: number;
    pager: number;
  }

  async function runDemo(ports: Ports) {
    const demo = new NodeProcess(
      'npm start',
      join(ROOT, 'scripts', 'start.js'),
      cleanEnv(dir, {
        DEMO_DATA_DIR: dir,
        PORT: String(ports.port),
        GREETER_PORT: String(ports.greeter),
        CRM_PORT: String(ports.crm),
        GATEWAY_PORT: String(ports.gateway),
        MAILER_PORT: String(ports.mailer),
        MAIL_SINK_PORT: String(ports.mailSink),
        SMTP_PORT: String(ports.smtp),
        SMS_GATEWAY_PORT: String(ports.sms),
        PAGER_PORT: String(ports.pager),
        // The builds this test run uses, as they are (npm test has just built them).
        MAITRED_DIST: DIST_DIR,
        MAITRED_EXAMPLES_DIST: EXAMPLES_DIST,
        CHECKIN_RATE_LIMIT: '0',
      }),
      // Its own process group, so the test can send Ctrl-C to all of it, as a terminal does.
      { cwd: ROOT, detached: true },
    );
    await demo.waitFor(/Ctrl-C stops everything\./, 60_000);
    const adminKey = /^Admin API key: (\S+)$/m.exec(demo.output())![1];
    const http = new Http(`http://127.0.0.1:${ports.port}`);
    const state = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as DemoState;
    const endpoints = async () => (await http.get<Endpoint[]>('/api/webhooks/endpoints', { token: adminKey })).body;
    const greet = async (name: string) => {
      const guest = await http.post<Schemas['CheckedInGuestResponse']>('/api/guests', {
        name,
        partySize: 2,
        email: `${name.toLowerCase()}@example.com`,
        marketingOptIn: true,
      });
      expect(guest.status).toBe(201);
      const offers = await eventually(
        async () => {
          const list = await http.get<{ title: string }[]>(`/api/guests/${guest.body.id}/offers`, {
            guestToken: guest.body.token,
          });
          return list.body.length > 0 ? list.body : undefined;
        },
        15_000,
        `${name}'s offer`,
      );
      await eventually(
        async () => {
          const contacts = (await (await fetch(`http://127.0.0.1:${ports.crm}/contacts`)).json()) as { guestId: string }[];
          return contacts.some((c) => c.guestId === guest.body.id);
        },
        15_000,
        `${name} in the CRM`,
      );
      return offers;
    };
    /** Seats the guest, takes payment through the demo's gateway, and waits for the mailer's letter. */
    const pay = async (guestId: string, amount: number) => {
      const tables = await http.get<{ id: string; status: string; capacity: number }[]>('/api/tables');
      const table = tables.body.find((t) => t.status === 'free' && t.capacity >= 2)!;
      expect((await http.post(`/api/guests/${guestId}/seat`, { tableId: table.id }, { token: adminKey })).status).toBe(200);
      const charged = await http.post<Schemas['ChargeAccepted']>(
        `/api/guests/${guestId}/charge`,
        { amount, currency: 'EUR' },
        { token: state.keys.staff.key },
      );
      expect(charged.status).toBe(202);
      return eventually(
        async () => {
          const letters = (await (await fetch(`http://127.0.0.1:${ports.mailSink}/letters`)).json()) as {
            subject: string;
            text: string;
          }[];
          return letters.find((letter) => letter.text.includes(charged.body.paymentId));
        },
        15_000,
        'the thank-you letter',
      );
    };
    /** Pages a waiting guest with a phone, reads the text at the SMS simulator and answers 1 there. */
    const page = async (name: string, phone: string) => {
      const guest = await http.post<Schemas['CheckedInGuestResponse']>('/api/guests', { name, partySize: 2, phone });
      expect(guest.status).toBe(201);
      expect((await http.post(`/api/guests/${guest.body.id}/notify`, {}, { token: adminKey })).status).toBe(200);
      const sms = `http://127.0.0.1:${ports.sms}`;
      const text = await eventually(
        async () => {
          const messages = (await (await fetch(`${sms}/api/messages`)).json()) as { to: string; body: string }[];
          return messages.find((m) => m.to === phone);
        },
        15_000,
        `the text to ${name}`,
      );
      const answered = await fetch(`${sms}/api/phones/${encodeURIComponent(phone)}/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: '1' }),
      });
      expect(answered.status).toBe(200);
      const view = await http.get<Schemas['GuestResponse']>(`/api/guests/${guest.body.id}`, { token: adminKey });
      return { text: text.body, reply: (await answered.json()) as { replies: string[] }, confirmedAt: view.body.confirmedAt };
    };
    return { demo, adminKey, http, state, endpoints, greet, pay, page };
  }

  it('registers once across restarts, replaces a revoked key, prints the URLs and stops cleanly', async () => {
    const ports = {
      port: await freePort(),
      greeter: await freePort(),
      crm: await freePort(),
      gateway: await freePort(),
      mailer: await freePort(),
      mailSink: await freePort(),
      smtp: await freePort(),
      sms: await freePort(),
      pager: await freePort(),
    };

    const first = await runDemo(ports);
    const out = first.demo.output();
    for (const url of ['/', '/staff', '/board', '/developers', '/api/docs'])
      expect(out).toContain(`http://localhost:${ports.port}${url}`);
    expect(out).toContain(`http://localhost:${ports.crm}/`);
    expect(out).toContain(`http://localhost:${ports.mailSink}/`);
    expect(out).toContain(`http://localhost:${ports.sms}/`);
    expect(out).toContain(join(dir, 'analytics', 'events.ndjson'));
    expect(first.adminKey).toBe(first.state.adminApiKey);

    expect(await first.greet('Anna')).toEqual([expect.objectContaining({ title: WELCOME })]);
    const registered = await first.endpoints();
    expect(registered.map((e) => e.description).sort()).toEqual(['crm', 'greeter', 'mailer', 'pager']);
    expect(registered.find((e) => e.description === 'mailer')).toMatchObject({
      url: `http://127.0.0.1:${ports.mailer}/webhook`,
      eventTypes: ['payment.received', 'guest.notified'],
    });
    expect(registered.find((e) => e.description === 'pager')).toMatchObject({
      url: `http://127.0.0.1:${ports.pager}/webhook`,
      eventTypes: ['guest.notified'],
    });
    // The paging story: notify → pager → SMS simulator → reply 1 → confirmed.
    const paged = await first.page('Gil', '+4915112349999');
    expect(paged.text).toMatch(/^Hi Gil, your table is ready! We hold it for 10 min\. Reply 1/);
    expect(paged.reply.replies).toEqual(["Thanks, Gil! We'll see you in a moment."]);
    expect(paged.confirmedAt).not.toBeNull();
    expect(registered.find((e) => e.description === 'greeter')).toMatchObject({
      url: `http://127.0.0.1:${ports.greeter}/webhook`,
      eventTypes: ['guest.checked_in'],
      enabled: true,
    });
    expect(registered.find((e) => e.description === 'crm')?.eventTypes.sort()).toEqual([
      'guest.checked_in',
      'guest.erased',
      'guest.updated',
    ]);
    // The payment story: charge → gateway simulator → signed webhook → paid → mailer → mail sink.
    const guests = await first.http.get<{ id: string; name: string }[]>('/api/guests', { token: first.adminKey });
    const anna = guests.body.find((g) => g.name === 'Anna')!;
    expect(await first.pay(anna.id, 4250)).toMatchObject({ subject: 'Thank you for dining with us, Anna' });

    // A remembered key that no longer works must be replaced on the next start.
    expect((await first.http.delete(`/api/keys/${first.state.keys.offers.id}`, { token: first.adminKey })).status).toBe(200);

    // Ctrl-C in a terminal: SIGINT to the whole process group.
    process.kill(-first.demo.child.pid!, 'SIGINT');
    expect(await first.demo.exited).toEqual({ code: 0, signal: null });
    for (const name of [
      'maitred',
      'greeter',
      'crm',
      'analytics',
      'payment-gateway',
      'mail-sink',
      'mailer',
      'sms-gateway',
      'pager',
    ])
      expect(first.demo.output()).toMatch(new RegExp(`^${name}: .*SIG(INT|TERM) received`, 'm'));
    await expect(fetch(`http://127.0.0.1:${ports.crm}/contacts`)).rejects.toThrow();

    const second = await runDemo(ports);
    expect(second.adminKey).toBe(first.adminKey);
    const again = await second.endpoints();
    expect(again.map((e) => e.id).sort()).toEqual(registered.map((e) => e.id).sort());
    expect(second.state.keys.endpoints.id).toBe(first.state.keys.endpoints.id);
    expect(second.state.keys.staff.id).toBe(first.state.keys.staff.id);
    expect(second.state.keys.offers.id).not.toBe(first.state.keys.offers.id);
    // The new offers key works: the greeter greets again.
    expect(await second.greet('Bo')).toEqual([expect.objectContaining({ title: 'Welcome, Bo! Your first drink is on us.' })]);

    // SIGTERM to the script alone: it stops its children itself.
    second.demo.child.kill('SIGTERM');
    expect(await second.demo.exited).toEqual({ code: 0, signal: null });
    expect(Object.keys(second.state.keys).sort()).toEqual(['endpoints', 'offers', 'staff']);
  });
});
