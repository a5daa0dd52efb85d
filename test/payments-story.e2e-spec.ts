import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DIST_DIR, removeDir, tempDir } from './support/app';
import { Http } from './support/http';
import { cleanEnv, EXAMPLES_DIST, freePort, killAll, NodeProcess } from './support/processes';
import { eventually } from './support/receiver';

/**
 * The payment story with five real processes talking only over HTTP and SMTP: Maitred
 * (`node dist/main`), the payment gateway simulator, the mailer subscriber and the mail sink from
 * dist-examples/, plus the simulator's command-line mode.
 */

jest.setTimeout(120_000);

// The demo runs on its SQLite file; the PostgreSQL project covers payments in payments.e2e-spec.ts.
const onSqlite = process.env.MAITRED_TEST_DB === 'postgres' ? describe.skip : describe;

const ADMIN = 'payments-story-admin-key-0123456789';
const PAYMENT_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface Guest {
  id: string;
  token: string;
  name: string;
  paid: boolean;
}

interface Letter {
  id: number;
  to: string;
  envelope: { from: string | null; to: string[] };
  subject: string;
  messageId: string | null;
  text: string;
}

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attemptCount: number;
}

/** `node <args>` with output collected: the simulator's command-line mode takes arguments. */
function runCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  commands.push(child);
  return { child, output: () => out, exited };
}
const commands: ChildProcess[] = [];

onSqlite('payment story: gateway simulator → Maitred → mailer → mail sink', () => {
  let dir: string;
  let maitredPort: number;
  let gatewayPort: number;
  let mailerPort: number;
  let sinkUrl: string;
  let smtpPort: number;
  let maitred: NodeProcess;
  let gateway: NodeProcess;
  let sink: NodeProcess;
  let mailer: NodeProcess;
  let http: Http;
  let mailerEndpoint: { id: string; secret: string };
  let staffKey: string;

  const gatewayUrl = () => `http://127.0.0.1:${gatewayPort}`;

  function startMaitred(): NodeProcess {
    return new NodeProcess(
      'maitred',
      join(DIST_DIR, 'main.js'),
      cleanEnv(dir, {
        PORT: String(maitredPort),
        DATABASE_URL: `sqlite:${join(dir, 'maitred.sqlite')}`,
        ADMIN_API_KEY: ADMIN,
        LOG_LEVEL: 'silent',
        CHECKIN_RATE_LIMIT: '0',
        PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
        PAYMENT_GATEWAY_URL: gatewayUrl(),
        WEBHOOK_RETRY_SCHEDULE: '200ms,500ms,1s,1s,1s,1s,1s,1s',
        WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${mailerPort}`,
      }),
    );
  }

  function startMailer(): NodeProcess {
    return new NodeProcess(
      'mailer',
      join(EXAMPLES_DIST, 'mailer.js'),
      cleanEnv(dir, {
        MAITRED_URL: `http://127.0.0.1:${maitredPort}`,
        MAITRED_API_KEY: staffKey,
        WEBHOOK_SECRET: mailerEndpoint.secret,
        PORT: String(mailerPort),
        DATA_DIR: join(dir, 'mailer'),
        SMTP_PORT: String(smtpPort),
      }),
    );
  }

  async function letters(): Promise<Letter[]> {
    return (await fetch(`${sinkUrl}/letters`).then((r) => r.json())) as Letter[];
  }

  async function seatedGuest(body: Record<string, unknown>): Promise<Guest> {
    const created = await http.post<Guest>('/api/guests', { partySize: 2, ...body });
    expect(created.status).toBe(201);
    const tables = await http.get<{ id: string; status: string; capacity: number }[]>('/api/tables', { token: ADMIN });
    const table = tables.body.find((t) => t.status === 'free' && t.capacity >= 2)!;
    expect((await http.post(`/api/guests/${created.body.id}/seat`, { tableId: table.id }, { token: ADMIN })).status).toBe(200);
    return created.body;
  }

  async function isPaid(guest: Guest): Promise<boolean> {
    return (await http.get<Guest>(`/api/guests/${guest.id}`, { token: ADMIN })).body.paid;
  }

  beforeAll(async () => {
    dir = tempDir('maitred-payments-story-');
    [maitredPort, gatewayPort, mailerPort] = await Promise.all([freePort(), freePort(), freePort()]);
    http = new Http(`http://127.0.0.1:${maitredPort}`);

    sink = new NodeProcess(
      'mail-sink',
      join(EXAMPLES_DIST, 'mail-sink.js'),
      cleanEnv(dir, { PORT: '0', SMTP_PORT: '0', DATA_DIR: join(dir, 'mail-sink') }),
    );
    const [, webPort, smtp] = await sink.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+) \(SMTP on 127\.0\.0\.1:(\d+)/);
    sinkUrl = `http://127.0.0.1:${webPort}`;
    smtpPort = Number(smtp);
  });

  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
  afterAll(async () => {
    for (const proc of [mailer, gateway, maitred, sink]) if (proc?.running) await proc.stop();
    for (const child of commands) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    killAll();
    removeDir(dir);
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */

  it('the simulator, started before Maitred, retries each payment webhook until Maitred is up', async () => {
    // The gateway comes up first, pointing at a Maitred that is not there yet.
    gateway = new NodeProcess(
      'payment-gateway',
      join(EXAMPLES_DIST, 'payment-gateway.js'),
      cleanEnv(dir, {
        PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
        MAITRED_URL: `http://127.0.0.1:${maitredPort}`,
        PORT: String(gatewayPort),
        RETRY_BASE_MS: '100',
        RETRY_MAX_MS: '400',
      }),
    );
    await gateway.waitFor(/listening on/);

    maitred = startMaitred();
    await maitred.waitFor(/listening on/);
    const endpoint = await http.post<{ id: string; secret: string }>(
      '/api/webhooks/endpoints',
      { url: `http://127.0.0.1:${mailerPort}/webhook`, description: 'mailer', eventTypes: ['payment.received'] },
      { token: ADMIN },
    );
    expect(endpoint.status).toBe(201);
    mailerEndpoint = endpoint.body;
    const key = await http.post<{ key: string }>('/api/keys', { name: 'mailer', scopes: ['staff'] }, { token: ADMIN });
    staffKey = key.body.key;

    const anna = await seatedGuest({ name: 'Anna', email: 'anna@example.com', marketingOptIn: true });
    const bruno = await seatedGuest({ name: 'Bruno', email: 'bruno@example.com', marketingOptIn: false });

    // Maitred goes away; meanwhile the gateway charges Anna (its API) and Bruno (its command line).
    expect(await maitred.stop()).toEqual({ code: 0, signal: null });
    const charged = await fetch(`${gatewayUrl()}/charges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ guestId: anna.id, amount: 5600, currency: 'EUR', paymentId: 'pi_story_anna' }),
    });
    expect(charged.status).toBe(202);
    const cliCharge = runCommand(
      [join(EXAMPLES_DIST, 'payment-gateway.js'), 'charge', bruno.id, '3150', 'EUR', 'pi_story_bruno'],
      cleanEnv(dir, {
        PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
        MAITRED_URL: `http://127.0.0.1:${maitredPort}`,
        RETRY_BASE_MS: '100',
        RETRY_MAX_MS: '400',
      }),
    );
    // Both keep failing while Maitred is down…
    await gateway.waitFor(/pi_story_anna failed \(.*\); retrying/);
    await gateway.waitFor(/(pi_story_anna failed[\s\S]*){2}/);
    await eventually(
      () => Promise.resolve(/pi_story_bruno failed \(.*\); retrying/.test(cliCharge.output())),
      10_000,
      'the command line to retry',
    );
    expect(cliCharge.child.exitCode).toBeNull();

    // …and succeed once it is back, without anyone asking again.
    maitred = startMaitred();
    await maitred.waitFor(/listening on/);
    await gateway.waitFor(/webhook \S+ for pi_story_anna → 200/, 15_000);
    expect(await cliCharge.exited).toEqual({ code: 0, signal: null });
    expect(cliCharge.output()).toMatch(/for pi_story_bruno → 200/);

    expect(await isPaid(anna)).toBe(true);
    expect(await isPaid(bruno)).toBe(true);
    const payments = await http.get(`/api/guests/${anna.id}/payments`, { guestToken: anna.token });
    expect(payments.body).toEqual([expect.objectContaining({ paymentId: 'pi_story_anna', amount: 5600, currency: 'EUR' })]);
  });

  it('the mailer sends exactly one letter per payment, also when Maitred redelivers the webhook', async () => {
    // The mailer starts after the payments: Maitred has been retrying its deliveries meanwhile.
    mailer = startMailer();
    await mailer.waitFor(/listening on/);

    const delivered = await eventually(
      async () => {
        const list = await letters();
        return list.length >= 2 ? list : undefined;
      },
      20_000,
      'two letters in the sink',
    );
    expect(delivered).toHaveLength(2);
    const byRecipient = Object.fromEntries(delivered.map((letter) => [letter.envelope.to[0], letter]));
    expect(Object.keys(byRecipient).sort()).toEqual(['anna@example.com', 'bruno@example.com']);
    expect(byRecipient['anna@example.com']).toMatchObject({ subject: 'Thank you for dining with us, Anna' });
    expect(byRecipient['anna@example.com'].text).toMatch(/€56\.00/);
    expect(byRecipient['anna@example.com'].text).toMatch(/pi_story_anna/);
    // Bruno gave no marketing consent, so the event withheld his address; the mailer asked Maitred for it.
    expect(byRecipient['bruno@example.com'].text).toMatch(/€31\.50/);

    // The sink's page lists them for a person to read.
    const page = await fetch(sinkUrl).then((r) => r.text());
    expect(page).toContain('Thank you for dining with us, Anna');
    expect(page).toContain('Thank you for dining with us, Bruno');

    // Restart the mailer (its record of what it received is on disk), then redeliver both events by hand.
    expect(await mailer.stop()).toEqual({ code: 0, signal: null });
    mailer = startMailer();
    await mailer.waitFor(/listening on/);
    const deliveries = await http.get<Delivery[]>(`/api/webhooks/endpoints/${mailerEndpoint.id}/deliveries?status=succeeded`, {
      token: ADMIN,
    });
    expect(deliveries.body).toHaveLength(2);
    for (const delivery of deliveries.body) {
      expect((await http.post(`/api/webhooks/deliveries/${delivery.id}/retry`, undefined, { token: ADMIN })).status).toBe(202);
    }
    await eventually(
      async () => {
        const list = await http.get<Delivery[]>(`/api/webhooks/endpoints/${mailerEndpoint.id}/deliveries`, { token: ADMIN });
        return list.body.every(
          (d) => d.status === 'succeeded' && d.attemptCount > deliveries.body.find((before) => before.id === d.id)!.attemptCount,
        );
      },
      10_000,
      'both redeliveries to succeed',
    );
    await mailer.waitFor(/redelivery of \S+ ignored[\s\S]*redelivery of \S+ ignored/);

    // The same webhook straight from a replaying attacker or a confused proxy is refused: no signature.
    const forged = await fetch(`http://127.0.0.1:${mailerPort}/webhook`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(forged.status).toBe(401);

    const health = await fetch(`http://127.0.0.1:${mailerPort}/health`).then((r) => r.json());
    expect(health).toMatchObject({ letters: { sent: 2 } });
    expect(await letters()).toHaveLength(2);
  });

  it('with email consent, a paged guest also gets the "your table is ready" notice as a letter', async () => {
    const patched = await http.patch(`/api/webhooks/endpoints/${mailerEndpoint.id}`, { eventTypes: ['payment.received', 'guest.notified'] }, { token: ADMIN });
    expect(patched.status).toBe(200);
    const before = (await letters()).length;
    const ella = await http.post<Guest>('/api/guests', { name: 'Ella', partySize: 2, email: 'ella@example.com', marketingOptIn: true });
    const finn = await http.post<Guest>('/api/guests', { name: 'Finn', partySize: 2, email: 'finn@example.com', marketingOptIn: false });
    expect((await http.post(`/api/guests/${finn.body.id}/notify`, {}, { token: ADMIN })).status).toBe(200);
    expect((await http.post(`/api/guests/${ella.body.id}/notify`, { message: 'Ask for Marco.' }, { token: ADMIN })).status).toBe(200);
    const notice = await eventually(async () => (await letters()).find((letter) => letter.subject === 'Your table is ready, Ella'), 15_000, "Ella's notice");
    expect(notice.to).toContain('ella@example.com');
    expect(notice.text).toContain('We hold it for you for 10 minutes.');
    expect(notice.text).toContain('Ask for Marco.');
    // Finn gave no consent: the event carries no address and no letter goes out.
    await mailer.waitFor(/told Ella <ella@example.com> their table is ready/);
    expect((await letters()).filter((letter) => /Finn/.test(letter.subject))).toHaveLength(0);
    expect((await letters()).length).toBe(before + 1);
  });
});
