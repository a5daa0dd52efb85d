import { expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createKey, ON_POSTGRES, removeDir, startApp, type TableRow, tables, type TestApp } from './support/app';
import { ensureClientBuilt, launchChromium, ROOT_DIR } from './support/browser';
import { cleanEnv, EXAMPLES_DIST, freePort, killAll, NodeProcess } from './support/processes';
import { eventually, Receiver } from './support/receiver';
import type { Schemas } from './support/api-types';

/**
 * The web client in a real Chromium against the real built server (which serves the built client
 * from the same port): a guest on a phone, staff on a tablet, the lobby board and an integrator,
 * each in their own browser context, with the example greeter and payment gateway running as
 * separate processes the way `npm start` runs them. Nothing is reloaded; every change arrives live.
 */

jest.setTimeout(90_000);

const ARTIFACTS = join(ROOT_DIR, 'test-artifacts');
const SHOT_PREFIX = ON_POSTGRES ? 'postgres-' : '';
const WAIT = 15_000;
const PAYMENT_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const GUEST = { name: 'Ada Lovelace', partySize: 3 };

let app: TestApp;
let browser: Browser;
let receiver: Receiver;
/** The portal's Ed25519 endpoint's receiver. */
let edReceiver: Receiver;
let greeter: NodeProcess;
let gateway: NodeProcess;
const contexts: BrowserContext[] = [];
let phone: Page;
let staff: Page;
let board: Page;
let portal: Page;
let staffKey: string;
let guestId: string;
/** Everything the browser reported as blocked by the Content-Security-Policy, on any page. */
const cspViolations: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  // From the top, so the sticky header sits where it belongs in the full-page image.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(ARTIFACTS, `${SHOT_PREFIX}${name}.png`), fullPage: true });
}

async function open(options: Parameters<Browser['newContext']>[0], path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.baseUrl, ...options });
  context.setDefaultTimeout(WAIT);
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(`${path}: ${message.text()}`);
  });
  await page.goto(path);
  return page;
}

/** Polls a locator's text until it matches: the page changes on its own, from pushes. */
async function textOf(locator: Locator, expected: string | RegExp, label = String(expected)): Promise<string> {
  let last = '';
  return eventually(
    async () => {
      last = (await locator.count()) > 0 ? await locator.first().innerText() : '';
      return (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) ? last : undefined;
    },
    WAIT,
    `${label} (last seen: ${JSON.stringify(last.slice(0, 300))})`,
  );
}

/** The field's own error: aria-invalid on the input and, next to it, the message it points at. */
async function fieldError(page: Page, label: string): Promise<string> {
  const input = page.getByLabel(label, { exact: true });
  await eventually(async () => (await input.getAttribute('aria-invalid')) === 'true', WAIT, `${label} marked invalid`);
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  const message = page.locator(`[id="${describedBy.split(' ')[0]}"]`);
  const text = (await message.innerText()).trim();
  // "Next to": the message lives in the same field container as the input.
  const sameField = input.locator('xpath=..').locator(`[id="${describedBy.split(' ')[0]}"]`);
  expect(await sameField.count()).toBe(1);
  return text;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const script of ['greeter.js', 'payment-gateway.js']) {
    if (!existsSync(join(EXAMPLES_DIST, script))) {
      throw new Error(`${join(EXAMPLES_DIST, script)} is missing: run \`npm run build\` (it builds the examples) first`);
    }
  }
  await ensureClientBuilt();
  const [greeterPort, gatewayPort] = [await freePort(), await freePort()];
  receiver = await new Receiver().start();
  edReceiver = await new Receiver().start();
  app = await startApp({
    WEBHOOK_ALLOWED_HOSTS: `${receiver.hostPort},${edReceiver.hostPort},127.0.0.1:${greeterPort}`,
    PAYMENT_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
    PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
  });

  // The greeter, wired as `npm start` wires it: its own endpoint for check-ins and an offers key.
  const registered = await app.http.post<{ secret: string }>(
    '/api/webhooks/endpoints',
    { url: `http://127.0.0.1:${greeterPort}/webhook`, description: 'greeter', eventTypes: ['guest.checked_in'] },
    { token: app.adminKey },
  );
  expect(registered.status).toBe(201);
  greeter = new NodeProcess(
    'greeter',
    join(EXAMPLES_DIST, 'greeter.js'),
    cleanEnv(app.dir, {
      MAITRED_URL: app.baseUrl,
      MAITRED_API_KEY: await createKey(app, ['offers'], 'greeter'),
      WEBHOOK_SECRET: registered.body.secret,
      PORT: String(greeterPort),
      DATA_DIR: join(app.dir, 'greeter'),
    }),
  );
  gateway = new NodeProcess(
    'payment-gateway',
    join(EXAMPLES_DIST, 'payment-gateway.js'),
    cleanEnv(app.dir, {
      PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
      MAITRED_URL: app.baseUrl,
      PORT: String(gatewayPort),
      RETRY_BASE_MS: '100',
      RETRY_MAX_MS: '500',
    }),
  );
  staffKey = await createKey(app, ['staff'], 'host stand');
  [browser] = await Promise.all([launchChromium(), greeter.waitFor(/listening on/), gateway.waitFor(/listening on/)]);
  // Installing Chromium with apt on a fresh machine takes about a minute on its own.
}, 5 * 60_000);

/* eslint-disable @typescript-eslint/no-unnecessary-condition -- a failed beforeAll or test can leave these unassigned. */
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await Promise.all([greeter?.stop(), gateway?.stop()]);
  killAll();
  await receiver?.stop();
  await edReceiver?.stop();
  await app?.close();
  if (app) removeDir(app.dir);
});
/* eslint-enable @typescript-eslint/no-unnecessary-condition */

describe('the web client in Chromium', () => {
  it('is served at the same port, leaving the API, Socket.IO and health alone', async () => {
    for (const path of ['/', '/staff', '/board', '/developers', '/guest/gst_whoever']) {
      const page = await app.http.get(path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.text).toContain('<div id="root">');
    }
    const unknown = await app.http.get('/api/unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/json/);
    expect(unknown.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: expect.any(String),
      details: [],
      requestId: unknown.headers.get('x-request-id'),
    });
    const health = await app.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    expect((await app.http.get('/assets/no-such-bundle.js')).status).toBe(404);
    const handshake = await app.http.get('/socket.io/?EIO=4&transport=polling');
    expect(handshake.status).toBe(200);
    expect(handshake.text).toMatch(/"sid"/);
  });

  it('staff sign in once with an API key; the board shows every table free', async () => {
    staff = await open({ viewport: { width: 1280, height: 900 } }, '/staff');
    await staff.getByLabel('API key', { exact: true }).fill('definitely-not-a-key-0123456789');
    await staff.getByRole('button', { name: 'Sign in' }).click();
    expect(await fieldError(staff, 'API key')).toMatch(/not accepted/);
    await staff.getByLabel('API key', { exact: true }).fill(staffKey);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await textOf(staff.getByRole('region', { name: 'Waitlist' }), 'Nobody is waiting');
    await textOf(staff.locator('.live'), 'Live');
    await staff.getByRole('img', { name: 'QR code to the check-in page' }).waitFor();

    board = await open({ viewport: { width: 1600, height: 900 } }, '/board');
    await textOf(board.getByRole('region', { name: 'Tables for 4' }), '3 free of 3');

    // Not asked to be remembered: the key lives in this tab's sessionStorage only.
    expect(await staff.evaluate<string | null>("sessionStorage.getItem('maitred.staffKey')")).toBe(staffKey);
    expect(await staff.evaluate<string | null>("localStorage.getItem('maitred.staffKey')")).toBeNull();

    // Asked once: a reload goes straight to the dashboard.
    await staff.reload();
    await textOf(staff.getByRole('region', { name: 'Waitlist' }), 'Nobody is waiting');
  });

  it("shows the API's validation errors next to their fields on the phone check-in page", async () => {
    phone = await open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, '/');
    await shot(phone, 'check-in');
    await phone.getByLabel('Name', { exact: true }).fill('   ');
    await phone.getByLabel('Party size', { exact: true }).fill('0');
    await phone.getByLabel('Email', { exact: true }).fill('not-an-email');
    await phone.getByLabel('Phone', { exact: true }).fill('12345');
    await phone.getByRole('button', { name: 'Check in' }).click();
    expect(await fieldError(phone, 'Name')).toMatch(/1 to 80 characters/);
    expect(await fieldError(phone, 'Party size')).toMatch(/less than 1/);
    expect(await fieldError(phone, 'Email')).toMatch(/email address/);
    expect(await fieldError(phone, 'Phone')).toMatch(/E\.164/);
    expect(await phone.getByLabel('Party size', { exact: true }).getAttribute('type')).toBe('number');
    await shot(phone, 'check-in-errors');
    // Nothing was created.
    expect((await app.http.get('/api/guests', { token: staffKey })).body).toEqual([]);
  });

  it("a guest checks in on a phone and lands on their live page with a place in line; the greeter's offer arrives", async () => {
    await phone.getByLabel('Name', { exact: true }).fill(GUEST.name);
    await phone.getByLabel('Party size', { exact: true }).fill(String(GUEST.partySize));
    await phone.getByLabel('Email', { exact: true }).fill('ada@example.com');
    await phone.getByLabel('Phone', { exact: true }).fill('+441234567890');
    await phone.getByRole('button', { name: 'Check in' }).click();
    await phone.waitForURL(/\/guest\/gst_[0-9A-Za-z]+$/);
    guestId = decodeURIComponent(new URL(phone.url()).pathname.split('/').pop()!);
    expect(await phone.getByRole('heading', { level: 1 }).innerText()).toBe('Waiting');
    await textOf(phone.locator('.facts div', { hasText: 'Place in line' }), '1st');
    await textOf(phone.locator('.facts div', { hasText: 'Quoted wait' }), /No wait|About \d+/);

    const stored: unknown = JSON.parse((await phone.evaluate<string | null>("localStorage.getItem('maitred.guest')")) ?? 'null');
    expect(stored).toEqual({ id: guestId, token: expect.any(String) });
    const { token } = stored as { token: string };
    // The stored token is the guest's credential: it reads the guest's own record.
    expect((await app.http.get(`/api/guests/${guestId}`, { guestToken: token })).status).toBe(200);

    // The greeter received guest.checked_in as a webhook and posted an offer back: it appears live.
    await textOf(phone.getByRole('region', { name: 'Offers' }), `Welcome, ${GUEST.name}! Your first drink is on us.`);
    await shot(phone, 'guest-waiting');
  });

  it('the staff dashboard shows the guest without a reload and seats them at a fitting table; board and guest page follow live', async () => {
    const row = staff.getByRole('listitem', { name: GUEST.name });
    await textOf(row, `party of ${GUEST.partySize}`);

    // Reserve the smallest table that would fit, from the floor plan: it must then not be offered.
    const before = await tables(app);
    const fitting = (list: TableRow[]) =>
      list
        .filter((t) => t.status === 'free' && t.capacity >= GUEST.partySize)
        .sort((a, b) => a.capacity - b.capacity || a.label.localeCompare(b.label, undefined, { numeric: true }));
    const reservedTable = fitting(before)[0];
    const tile = staff.getByRole('article', { name: `Table ${reservedTable.label}` });
    await tile.getByRole('button', { name: 'Reserve' }).click();
    await textOf(tile, 'Reserved');
    await eventually(
      async () => (await tables(app)).find((t) => t.id === reservedTable.id)?.status === 'reserved',
      WAIT,
      'table reserved',
    );
    await textOf(board.getByRole('region', { name: `Tables for ${reservedTable.capacity}` }), `2 free of 3`);

    await row.getByRole('button', { name: `Seat ${GUEST.name}` }).click();
    const chooser = staff.getByRole('group', { name: `Tables for ${GUEST.name}` });
    await chooser.waitFor();
    const offered = (await chooser.getByRole('button').allInnerTexts()).map((text) => text.split(' · ')[0]);
    const expected = fitting(await tables(app)).map((t) => t.label);
    expect(offered).toEqual(expected);
    expect(offered).not.toContain(reservedTable.label);
    const all = await tables(app);
    for (const label of offered) expect(all.find((t) => t.label === label)!.capacity).toBeGreaterThanOrEqual(GUEST.partySize);
    expect(all.some((t) => t.capacity < GUEST.partySize && offered.includes(t.label))).toBe(false);
    await shot(staff, 'staff-seating');

    const chosen = all.find((t) => t.label === offered[0])!;
    await chooser.getByRole('button', { name: new RegExp(`^${chosen.label} · `) }).click();

    // The guest's phone: seated, at that table, without a reload.
    await textOf(phone.getByRole('heading', { level: 1 }), 'Seated');
    await textOf(phone.locator('.facts div', { hasText: 'Your table' }), chosen.label);
    // The board: one table fewer of that size.
    await textOf(
      board.getByRole('region', { name: `Tables for ${chosen.capacity}` }),
      chosen.capacity === reservedTable.capacity ? '1 free of 3' : '2 free of 3',
    );
    // The dashboard: the line is empty, the table occupied by the guest.
    await textOf(staff.getByRole('region', { name: 'Waitlist' }), 'Nobody is waiting');
    const seatedTile = staff.getByRole('article', { name: `Table ${chosen.label}` });
    await textOf(seatedTile, 'Occupied');
    await textOf(seatedTile, GUEST.name);
    await textOf(staff.getByRole('region', { name: 'Live events' }), `${GUEST.name} seated at ${chosen.label}`);
    expect((await app.http.get(`/api/guests/${guestId}`, { token: staffKey })).body).toMatchObject({
      status: 'seated',
      tableId: chosen.id,
    });
    await shot(board, 'board');
  });

  it('staff take a payment through the gateway simulator; the guest page shows it paid', async () => {
    const seatedRow = staff.getByRole('region', { name: 'Seated' }).getByRole('listitem', { name: GUEST.name });
    await seatedRow.getByRole('button', { name: 'Take payment' }).click();
    await seatedRow.getByLabel('Amount', { exact: true }).fill('42.50');
    await seatedRow.getByRole('button', { name: 'Charge' }).click();
    await textOf(phone.locator('.paid'), 'Paid');
    await textOf(phone.locator('.paid'), /42[.,]50/);
    await textOf(seatedRow, 'Paid');
    const payments = await app.http.get(`/api/guests/${guestId}/payments`, { token: staffKey });
    expect(payments.body).toEqual([expect.objectContaining({ guestId, amount: 4250, currency: 'EUR' })]);
    await shot(phone, 'guest-seated-paid');
    await shot(staff, 'staff');
  });

  it('staff finish the meal: the table goes to cleaning, then free again; the guest page says Left', async () => {
    const seatedRow = staff.getByRole('region', { name: 'Seated' }).getByRole('listitem', { name: GUEST.name });
    const tableId = (await app.http.get<Schemas['GuestResponse']>(`/api/guests/${guestId}`, { token: staffKey })).body.tableId!;
    const table = (await tables(app)).find((t) => t.id === tableId)!;
    await seatedRow.getByRole('button', { name: 'Finish' }).click();
    await textOf(phone.getByRole('heading', { level: 1 }), 'Left');
    await textOf(phone.locator('.status-card'), 'Thanks for dining with us!');
    const tile = staff.getByRole('article', { name: `Table ${table.label}` });
    await textOf(tile, 'Cleaning');
    await tile.getByRole('button', { name: 'Mark free' }).click();
    await textOf(tile, 'Free');
    await eventually(async () => (await tables(app)).find((t) => t.id === tableId)?.status === 'free', WAIT, 'table free again');
    await textOf(staff.getByRole('region', { name: 'Seated' }), 'No one is seated');
  });

  it('a guest updates their email and leaves the line from their page; staff see both live', async () => {
    const other = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, '/');
    await other.getByLabel('Name', { exact: true }).fill('Grace');
    await other.getByLabel('Party size', { exact: true }).fill('2');
    await other.getByRole('button', { name: 'Check in' }).click();
    await other.waitForURL(/\/guest\/gst_/);
    await textOf(other.locator('.facts div', { hasText: 'Place in line' }), '1st');
    await textOf(staff.getByRole('listitem', { name: 'Grace' }), 'party of 2');

    await other.getByLabel('Email', { exact: true }).fill('grace@invalid');
    await other.getByRole('button', { name: 'Update email' }).click();
    expect(await fieldError(other, 'Email')).toMatch(/email address/);
    await other.getByLabel('Email', { exact: true }).fill('grace@example.com');
    await other.getByRole('button', { name: 'Update email' }).click();
    await textOf(other.locator('form', { hasText: 'Your email' }), 'Saved: grace@example.com');
    await textOf(staff.getByRole('region', { name: 'Live events' }), 'Grace updated email');

    await other.getByRole('button', { name: 'Leave the line' }).click();
    await other.getByRole('button', { name: 'Yes, leave' }).click();
    await textOf(other.getByRole('heading', { level: 1 }), 'Left');
    await textOf(staff.getByRole('region', { name: 'Waitlist' }), 'Nobody is waiting');
    await textOf(staff.getByRole('region', { name: 'Live events' }), 'Grace left (cancelled)');
    await shot(other, 'guest-left');
  });

  it('the developer portal registers an endpoint, sends a test and shows the successful attempt', async () => {
    const endpointsKey = await createKey(app, ['endpoints'], 'integrator');
    portal = await open({ viewport: { width: 1366, height: 900 } }, '/developers');
    await portal.getByLabel('API key', { exact: true }).fill(staffKey);
    await portal.getByRole('button', { name: 'Sign in' }).click();
    expect(await fieldError(portal, 'API key')).toMatch(/endpoints or admin scope/);
    await portal.getByLabel('API key', { exact: true }).fill(endpointsKey);
    await portal.getByRole('checkbox', { name: 'Remember me' }).check();
    await portal.getByRole('button', { name: 'Sign in' }).click();

    // Asked to be remembered: the key is kept in localStorage, not in the tab's session.
    await portal.locator('.portal-main').waitFor();
    expect(await portal.evaluate<string | null>("localStorage.getItem('maitred.developerKey')")).toBe(endpointsKey);
    expect(await portal.evaluate<string | null>("sessionStorage.getItem('maitred.developerKey')")).toBeNull();

    // Event types come from the catalogue.
    const catalogue = (await app.http.get<{ type: string }[]>('/api/webhooks/event-types')).body.map((t) => t.type);
    for (const type of catalogue.filter((t) => t !== 'webhook.test')) {
      await portal.getByRole('checkbox', { name: new RegExp(`^${type.replaceAll('.', '\\.')}`) }).waitFor();
    }
    await textOf(portal.locator('.portal-main'), 'No endpoints yet');

    // The catalogue lists every type with its description and schema; the listen command is the signed-in key's.
    const full = (await app.http.get<{ type: string; description: string }[]>('/api/webhooks/event-types')).body;
    const catalogueRegion = portal.getByRole('region', { name: 'Event catalogue' });
    for (const { type, description } of full) {
      const item = catalogueRegion.getByRole('listitem', { name: type, exact: true });
      await textOf(item, description);
      await textOf(item, 'JSON Schema of data');
      await textOf(item, 'Example payload');
    }
    // An example, opened: the type's payload with a realistic guest.
    const checkedIn = catalogueRegion.getByRole('listitem', { name: 'guest.checked_in', exact: true });
    await checkedIn.getByText('Example payload').click();
    const example = JSON.parse(await textOf(checkedIn.locator('details[open] pre'), '"type"')) as {
      type: string;
      data: { guest: { id: string; name: string } };
    };
    expect(example.type).toBe('guest.checked_in');
    expect(example.data.guest.id).toMatch(/^gst_[0-9A-Z]{26}$/);
    expect(example.data.guest.name).toBe('Ada Lovelace');
    const command = await textOf(portal.getByLabel('listen command'), 'npx maitred listen');
    expect(command).toBe(
      `npx maitred listen --url ${app.baseUrl} --key ${endpointsKey} --forward-to http://127.0.0.1:4010/hooks/maitred`,
    );

    // A URL the API refuses: the message sits next to the field.
    await portal.getByLabel('Endpoint URL', { exact: true }).fill('ftp://example.com/hook');
    await portal.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await fieldError(portal, 'Endpoint URL')).toMatch(/http/);

    await portal.getByLabel('Endpoint URL', { exact: true }).fill(receiver.url);
    await portal.getByRole('checkbox', { name: /^guest\.seated/ }).check();
    // A rate limit out of range is refused next to its field; a good one is on the card, and editable there.
    const rateLimit = portal.getByLabel('Rate limit (attempts per second)', { exact: true });
    await rateLimit.fill('0');
    await portal.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await fieldError(portal, 'Rate limit (attempts per second)')).toMatch(/1 to 10,000/);
    await rateLimit.fill('25');
    await portal.getByRole('button', { name: 'Add endpoint' }).click();
    const card = portal.getByRole('article', { name: receiver.url });
    await card.getByRole('heading', { name: receiver.url }).waitFor();
    await textOf(card, 'guest.seated');
    await textOf(card, '≤ 25/s');
    const editor = card.getByRole('form', { name: 'Rate limit' });
    await editor.getByLabel('Rate limit /s').fill('');
    await editor.getByRole('button', { name: 'Save' }).click();
    await textOf(card, 'Rate limit removed.');
    await textOf(card, 'No rate limit');

    // The secret it shows is the one that signs.
    await card.getByRole('button', { name: 'Show secret' }).click();
    const secret = (await textOf(card.locator('.secret-box code'), /^whsec_/)).trim();
    receiver.secrets = [secret];

    await card.getByRole('button', { name: 'Send test' }).click();
    const received = await receiver.waitFor((r) => r.payload.type === 'webhook.test', WAIT);
    expect(received.verified).toBe(true);
    const delivery = card.getByRole('listitem', { name: 'webhook.test succeeded' });
    await textOf(delivery, '204');
    await textOf(delivery, /\d+ ms/);
    await textOf(card.locator('.chart figcaption'), /1 attempt in the last hour · 100% ok/);
    await shot(portal, 'developers');
  });

  it('the portal adds an Ed25519 endpoint, shows its public key, replays a window to it and copies a delivery as curl', async () => {
    const form = portal.locator('form[aria-labelledby="new-endpoint-title"]');
    await form.getByLabel('Endpoint URL', { exact: true }).fill(edReceiver.url);
    await form.getByLabel('Signing', { exact: true }).selectOption('ed25519');
    await form.getByLabel('Ordering', { exact: true }).selectOption('per_guest');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await textOf(portal.locator('.portal-main'), /Ed25519 public key/);
    const card = portal.getByRole('article', { name: edReceiver.url });
    await card.getByRole('heading', { name: edReceiver.url }).waitFor();
    await textOf(card, 'Ed25519');
    await textOf(card, 'ordered per guest');

    await card.getByRole('button', { name: 'Show public key' }).click();
    const publicKey = (await textOf(card.locator('.secret-box code'), /^whpk_/)).trim();
    edReceiver.publicKeys = [publicKey];
    await card.getByRole('button', { name: 'Send test' }).click();
    const test = await edReceiver.waitFor((r) => r.payload.type === 'webhook.test', WAIT);
    expect(test.signature).toMatch(/^v1a,/);
    expect(test.verifiedEd25519).toBe(true);

    const delivery = card.getByRole('listitem', { name: 'webhook.test succeeded' });
    await delivery.getByRole('button', { name: 'Copy as curl' }).click();
    // Headless Chromium may refuse the clipboard: then the command itself is shown.
    await textOf(card, /Copied the signed request as a curl command|curl -X POST/);
    // Every event of the last hour (the guest's, staff's) again: the endpoint was created after them, so a replay is its only way to get them.
    const replay = card.getByRole('form', { name: 'Replay events' });
    await replay.getByRole('button', { name: 'Replay' }).click();
    await textOf(card, /Replaying \d+ events?/);
    const replayed = await edReceiver.waitFor((r) => r.payload.type !== 'webhook.test', WAIT);
    expect(replayed.verifiedEd25519).toBe(true);
    expect(replayed.id).toMatch(/^evt_/);

    // Ordering is edited on the card too.
    await card.getByLabel('Ordering', { exact: true }).selectOption('none');
    await textOf(card, 'unordered');
  });

  it('serves every page under a Content-Security-Policy that none of them broke', async () => {
    const csp = (await app.http.get('/staff')).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(cspViolations).toEqual([]);
  });
});
