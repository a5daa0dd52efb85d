import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, removeDir, tempDir } from './support/app';
import { Http } from './support/http';
import { cleanEnv, EXAMPLES_DIST, freePort, killAll, NodeProcess } from './support/processes';
import { eventually } from './support/receiver';

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

  async function runDemo(ports: { port: number; greeter: number; crm: number }) {
    const demo = new NodeProcess(
      'npm start',
      join(ROOT, 'scripts', 'start.js'),
      cleanEnv(dir, {
        DEMO_DATA_DIR: dir,
        PORT: String(ports.port),
        GREETER_PORT: String(ports.greeter),
        CRM_PORT: String(ports.crm),
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
      const guest = await http.post('/api/guests', { name, partySize: 2, email: `${name.toLowerCase()}@example.com`, marketingOptIn: true });
      expect(guest.status).toBe(201);
      const offers = await eventually(async () => {
        const list = await http.get<Array<{ title: string }>>(`/api/guests/${guest.body.id}/offers`, { guestToken: guest.body.token });
        return list.body.length > 0 ? list.body : undefined;
      }, 15_000, `${name}'s offer`);
      await eventually(async () => {
        const contacts = (await (await fetch(`http://127.0.0.1:${ports.crm}/contacts`)).json()) as Array<{ guestId: string }>;
        return contacts.some((c) => c.guestId === guest.body.id);
      }, 15_000, `${name} in the CRM`);
      return offers;
    };
    return { demo, adminKey, http, state, endpoints, greet };
  }

  it('registers once across restarts, replaces a revoked key, prints the URLs and stops cleanly', async () => {
    const ports = { port: await freePort(), greeter: await freePort(), crm: await freePort() };

    const first = await runDemo(ports);
    const out = first.demo.output();
    for (const url of ['/', '/staff', '/board', '/developers', '/api/docs']) expect(out).toContain(`http://localhost:${ports.port}${url}`);
    expect(out).toContain(`http://localhost:${ports.crm}/`);
    expect(out).toContain(join(dir, 'analytics', 'events.ndjson'));
    expect(first.adminKey).toBe(first.state.adminApiKey);

    expect(await first.greet('Anna')).toEqual([expect.objectContaining({ title: WELCOME })]);
    const registered = await first.endpoints();
    expect(registered.map((e) => e.description).sort()).toEqual(['crm', 'greeter']);
    expect(registered.find((e) => e.description === 'greeter')).toMatchObject({
      url: `http://127.0.0.1:${ports.greeter}/webhook`,
      eventTypes: ['guest.checked_in'],
      enabled: true,
    });
    expect(registered.find((e) => e.description === 'crm')?.eventTypes.sort()).toEqual(['guest.checked_in', 'guest.updated']);

    // A remembered key that no longer works must be replaced on the next start.
    expect((await first.http.delete(`/api/keys/${first.state.keys.offers.id}`, { token: first.adminKey })).status).toBe(200);

    // Ctrl-C in a terminal: SIGINT to the whole process group.
    process.kill(-first.demo.child.pid!, 'SIGINT');
    expect(await first.demo.exited).toEqual({ code: 0, signal: null });
    for (const name of ['maitred', 'greeter', 'crm', 'analytics']) expect(first.demo.output()).toMatch(new RegExp(`^${name}: .*SIG(INT|TERM) received`, 'm'));
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
