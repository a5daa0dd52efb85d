import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { checkIn, clockOf, createKey, ON_POSTGRES, removeDir, startApp, type TestApp } from './support/app';
import { ensureClientBuilt, launchChromium, ROOT_DIR } from './support/browser';
import { eventually } from './support/receiver';

/**
 * The staff dashboard's quote accuracy in a real Chromium: each waiting guest's original quote next to
 * the current one, red once the wait has passed the original, and the accuracy panel following
 * seatings. Time moves on the server's Clock and, by the same amount, on the browser's.
 */

jest.setTimeout(90_000);

const ARTIFACTS = join(ROOT_DIR, 'test-artifacts');
const WAIT = 15_000;
const MINUTE = 60_000;

let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let staff: Page;
let staffKey: string;
let table4: string;

async function textOf(locator: Locator, expected: string | RegExp): Promise<string> {
  let last = '';
  return eventually(
    async () => {
      last = (await locator.count()) > 0 ? await locator.first().innerText() : '';
      return (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) ? last : undefined;
    },
    WAIT,
    `${String(expected)} (last seen: ${JSON.stringify(last.slice(0, 300))})`,
  );
}

/** Moves the server's Clock and the browser's wall clock forward together. */
async function advance(ms: number): Promise<void> {
  clockOf(app).advance(ms);
  await context.clock.setFixedTime(clockOf(app).nowMs());
}

const post = async (path: string, body: unknown) => {
  const result = await app.http.post(path, body, { token: staffKey });
  expect(result.status).toBe(200);
};

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureClientBuilt();
  // One 4-seat table and the single forward play, so the quotes are known to the minute.
  app = await startApp({ SEED_DEMO: 'false', WAIT_ESTIMATOR: 'forward' });
  staffKey = await createKey(app, ['staff'], 'host stand');
  const created = await app.http.post<{ id: string }>('/api/tables', { label: 'T4', capacity: 4 }, { token: app.adminKey });
  table4 = created.body.id;
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: app.baseUrl, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(WAIT);
  await context.clock.setFixedTime(clockOf(app).nowMs());
}, 5 * 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await app?.close();
  if (app) removeDir(app.dir);
});

describe(`the dashboard keeps quotes honest in Chromium${ON_POSTGRES ? ' (PostgreSQL)' : ''}`, () => {
  it('shows the original quote next to the current one, red once exceeded, and the accuracy of seated guests', async () => {
    const first = await checkIn(app, { name: 'Ada', partySize: 4 });
    await post(`/api/guests/${first.id}/seat`, { tableId: table4 });
    const waiting = await checkIn(app, { name: 'Brook', partySize: 2 });
    expect(waiting.quotedWaitAtCheckIn).toBe(50);

    staff = await context.newPage();
    await staff.goto('/staff');
    await staff.getByLabel('API key', { exact: true }).fill(staffKey);
    await staff.getByRole('button', { name: 'Sign in' }).click();

    const waitlist = staff.getByRole('region', { name: 'Waitlist' });
    const row = waitlist.getByRole('listitem', { name: 'Brook' });
    await textOf(row, 'Quoted 50 min at check-in');
    await textOf(row.locator('.quote'), 'About 50 min');
    expect(await row.locator('.quote-compare').getAttribute('data-late')).toBe('false');

    const panel = staff.getByRole('region', { name: 'Quote accuracy' });
    // Ada sat down at once on a quote of 0.
    await textOf(panel.getByRole('row', { name: 'Last 7 days', exact: true }), /Last 7 days\s+1\s+0\.0 min\s+100 %\s+0 %/);
    await textOf(panel.getByRole('row', { name: 'Today', exact: true }), /Today\s+\d/);

    // 55 minutes on, Ada still at the table: the current quote is down to a few minutes, but Brook has
    // waited past the 50 they were promised, so the row turns red. A new check-in pushes the line.
    await advance(55 * MINUTE);
    await checkIn(app, { name: 'Cleo', partySize: 2 });
    await textOf(row.locator('.quote'), 'About 12 min');
    await eventually(async () => (await row.locator('.quote-compare').getAttribute('data-late')) === 'true', WAIT, 'Brook marked late');
    await textOf(row, /\d+ min over/);
    expect(await row.locator('.quote-original').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).toBe('rgb(185, 28, 28)');
    await staff.screenshot({ path: join(ARTIFACTS, `${ON_POSTGRES ? 'postgres-' : ''}staff-quotes.png`), fullPage: true });

    // Ada finishes, Brook sits down 55 minutes after a quote of 50: the panel follows.
    await post(`/api/guests/${first.id}/leave`, { reason: 'finished' });
    expect((await app.http.patch(`/api/tables/${table4}`, { status: 'free' }, { token: staffKey })).status).toBe(200);
    await post(`/api/guests/${waiting.id}/seat`, { tableId: table4 });
    await textOf(panel.getByRole('row', { name: 'Last 7 days', exact: true }), /Last 7 days\s+2\s+2\.5 min\s+100 %\s+50 %/);
    await textOf(panel.getByRole('row', { name: 'Last 7 days by table size' }), /2\.5 min/);
    expect(await panel.getByRole('columnheader', { name: '4 seats' }).count()).toBe(1);
    await eventually(async () => (await row.count()) === 0, WAIT, 'Brook left the waitlist');
  });
});
