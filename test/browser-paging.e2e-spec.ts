import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createKey, ON_POSTGRES, removeDir, startApp, tables, type TestApp } from './support/app';
import type { Guest } from './support/api-types';
import { ensureClientBuilt, launchChromium, ROOT_DIR } from './support/browser';
import { eventually } from './support/receiver';

/**
 * Paging in a real Chromium against the built server: staff press `Notify` on the dashboard, the
 * guest's phone shows `Your table is ready` live with the held table and a countdown, and its
 * `On my way` and `Cancel` buttons work; the dashboard follows each step without a reload.
 */

jest.setTimeout(120_000);

const ARTIFACTS = join(ROOT_DIR, 'test-artifacts');
const SHOT_PREFIX = ON_POSTGRES ? 'postgres-' : '';
const WAIT = 15_000;

let app: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
let staff: Page;
let staffKey: string;

async function open(options: Parameters<Browser['newContext']>[0], path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.baseUrl, ...options });
  context.setDefaultTimeout(WAIT);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

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

/** A guest checked in on their own phone, on their live page. */
async function guestOnPhone(name: string, partySize: number): Promise<{ page: Page; id: string }> {
  const page = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, '/');
  // Record vibration requests: headless Chromium has no motor, but the page must ask.
  await page.addInitScript('window.vibrations = []; navigator.vibrate = (pattern) => { window.vibrations.push(pattern); return true; };');
  await page.reload();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Party size', { exact: true }).fill(String(partySize));
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.waitForURL(/\/guest\/gst_[0-9A-Za-z]+$/);
  await textOf(page.locator('.facts div', { hasText: 'Place in line' }), /\d(st|nd|rd|th)/);
  return { page, id: decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '') };
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureClientBuilt();
  app = await startApp();
  staffKey = await createKey(app, ['staff'], 'host stand');
  browser = await launchChromium();
  staff = await open({ viewport: { width: 1280, height: 900 } }, '/staff');
  await staff.getByLabel('API key', { exact: true }).fill(staffKey);
  await staff.getByRole('button', { name: 'Sign in' }).click();
  await staff.getByRole('region', { name: 'Waitlist' }).waitFor();
}, 5 * 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.close();
  if (app) removeDir(app.dir);
});

describe('paging a guest in Chromium', () => {
  it('Notify on the dashboard pages the guest live: ready state, held table, countdown, On my way, seat at the held table', async () => {
    const { page: phone, id } = await guestOnPhone('Lena', 2);
    const row = staff.getByRole('listitem', { name: 'Lena' });
    await textOf(row, 'party of 2');
    await row.getByRole('button', { name: 'Notify Lena' }).click();
    const chooser = staff.getByRole('group', { name: 'Notify Lena: hold a table?' });
    const first = chooser.getByRole('button', { name: /^Hold / }).first();
    const label = (await first.innerText()).replace(/^Hold /, '');
    // Tap the phone once before it is paged, as a guest would: that is what allows the chime.
    await phone.locator('body').tap();
    const pagedAt = Date.now();
    await first.click();

    const ready = phone.getByRole('alert');
    await textOf(ready, 'Your table is ready');
    console.log(`paging (Chromium): Notify click → guest page shows "Your table is ready" in ${Date.now() - pagedAt} ms`);
    await textOf(ready.locator('.facts div', { hasText: 'Your table' }), label);
    const first_ = await textOf(ready.getByLabel('Time left'), /^\d+:\d\d$/);
    // The countdown runs on its own.
    await eventually(async () => ((await ready.getByLabel('Time left').innerText()) !== first_ ? true : undefined), WAIT, 'the countdown to move');
    await eventually(async () => ((await phone.title()) === 'Your table is ready! · Maitred' ? true : undefined), WAIT, 'the tab title');
    expect(await phone.evaluate<unknown>('window.vibrations')).toEqual([[300, 150, 300]]);
    const table = (await tables(app)).find((t) => t.label === label);
    expect(table).toMatchObject({ status: 'reserved', guestId: id });

    // The dashboard: paged, time left, not confirmed yet, holding the table.
    const paging = staff.getByRole('group', { name: 'Paging Lena' });
    await textOf(paging, 'not confirmed yet');
    await textOf(paging, /\d+:\d\d left/);
    await textOf(paging, `holding ${label}`);
    await phone.screenshot({ path: join(ARTIFACTS, `${SHOT_PREFIX}guest-table-ready.png`), fullPage: true });

    await ready.getByRole('button', { name: 'On my way' }).click();
    await textOf(ready, 'we told the host you are on your way');
    await textOf(paging, 'Confirmed');
    expect((await app.http.get<Guest>(`/api/guests/${id}`, { token: staffKey })).body.confirmedAt).not.toBeNull();
    await staff.screenshot({ path: join(ARTIFACTS, `${SHOT_PREFIX}staff-paged.png`), fullPage: true });

    await paging.getByRole('button', { name: `Seat at ${label}` }).click();
    await textOf(phone.getByRole('heading', { level: 1 }), 'Seated');
    await textOf(phone.locator('.facts div', { hasText: 'Your table' }), label);
    expect(await phone.getByRole('alert').count()).toBe(0);
    expect((await tables(app)).find((t) => t.label === label)).toMatchObject({ status: 'occupied', guestId: id });
  });

  it('the guest cancels from the ready card: they leave and the dashboard no longer lists them', async () => {
    const { page: phone, id } = await guestOnPhone('Milo', 2);
    const row = staff.getByRole('listitem', { name: 'Milo' });
    await row.getByRole('button', { name: 'Notify Milo' }).click();
    await staff.getByRole('group', { name: 'Notify Milo: hold a table?' }).getByRole('button', { name: 'No table, just page' }).click();
    const ready = phone.getByRole('alert');
    await textOf(ready, 'Your table is ready');
    await textOf(ready.locator('.facts div', { hasText: 'Your table' }), 'At the host stand');
    await ready.getByRole('button', { name: 'Cancel' }).click();
    await textOf(phone.getByRole('heading', { level: 1 }), 'Left');
    await textOf(staff.getByRole('region', { name: 'Live events' }), 'Milo left (cancelled)');
    await textOf(staff.getByRole('region', { name: 'Live events' }), 'Milo paged: table ready');
    expect(await staff.getByRole('listitem', { name: 'Milo' }).count()).toBe(0);
    expect((await app.http.get<Guest>(`/api/guests/${id}`, { token: staffKey })).body).toMatchObject({ status: 'left', leftReason: 'cancelled' });
  });
});
