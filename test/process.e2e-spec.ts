import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { DIST_DIR, removeDir, tempDir } from './support/app';
import { Http } from './support/http';
import type { Schemas, ErrorBody } from './support/api-types';

/**
 * The server as operators run it: `node dist/main` in its own process, configured only by
 * the environment. Startup line, clean SIGTERM, refusal of bad configuration, restarts on the
 * same SQLite file, the generated admin key and WAL mode.
 */

const MAIN = join(DIST_DIR, 'main.js');

// Each test starts whole processes; `testTimeout` inside a Jest project entry is not applied.
jest.setTimeout(60_000);

interface Server {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  http: Http;
  startupMs: number;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Only the variables we mean to set, so the developer's own environment cannot leak in. */
function baseEnv(dir: string, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    PORT: '0',
    DATABASE_URL: `sqlite:${join(dir, 'maitred.sqlite')}`,
    LOG_LEVEL: 'silent',
    CHECKIN_RATE_LIMIT: '0',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

function launch(dir: string, extra: Record<string, string | undefined>) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [MAIN], { cwd: dir, env: baseEnv(dir, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return { child, started, exit, stdout: () => stdout, stderr: () => stderr };
}

/** Starts `node dist/main` and resolves once it prints that it is listening. */
async function start(dir: string, extra: Record<string, string | undefined> = {}): Promise<Server> {
  const launched = launch(dir, extra);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening on" line within 20 s:\n${launched.stdout()}\n${launched.stderr()}`)),
      20_000,
    );
    const check = () => {
      const match = /listening on \S*?:(\d+)/.exec(launched.stdout());
      if (match) {
        clearTimeout(timer);
        launched.child.stdout.off('data', check);
        resolve(Number(match[1]));
      }
    };
    launched.child.stdout.on('data', check);
    void launched.exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${launched.stdout()}\n${launched.stderr()}`));
    });
  });
  const startupMs = Number(process.hrtime.bigint() - launched.started) / 1e6;
  const baseUrl = `http://127.0.0.1:${port}`;
  return { ...launched, port, baseUrl, http: new Http(baseUrl), startupMs };
}

async function stop(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exit;
}

/** Runs `node dist/main` expecting it to refuse to start. */
async function refusedStart(extra: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const dir = tempDir('maitred-process-');
  try {
    const launched = launch(dir, extra);
    const timer = setTimeout(() => launched.child.kill('SIGKILL'), 20_000);
    const code = await launched.exit;
    clearTimeout(timer);
    return { code, stderr: launched.stderr(), stdout: launched.stdout() };
  } finally {
    removeDir(dir);
  }
}

describe('process: node dist/main', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = tempDir('maitred-process-');
    dirs.push(dir);
    return dir;
  };

  afterAll(() => {
    // Only our own children: anything still running here is a test that failed midway.
    for (const child of running) child.kill('SIGKILL');
    for (const dir of dirs) removeDir(dir);
  });

  it('prints a line with "listening on" and the real port, and serves on it', async () => {
    const timings: number[] = [];
    const dir = newDir();
    for (let i = 0; i < 3; i++) {
      const server = await start(dir, { ADMIN_API_KEY: 'process-test-admin-key-0123' });
      timings.push(server.startupMs);
      const line = server
        .stdout()
        .split('\n')
        .find((l) => l.includes('listening on'))!;
      expect(line).toContain(String(server.port));
      expect(server.port).toBeGreaterThan(0);
      const health = await server.http.get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok' });
      expect(await stop(server)).toBe(0);
    }
    // The first start also creates and migrates the database; later ones open it.
    console.log(
      `startup time to "listening on": first start ${timings[0].toFixed(0)} ms (new database), ` +
        `restarts ${timings
          .slice(1)
          .map((t) => t.toFixed(0))
          .join(' ms, ')} ms`,
    );
  });

  it('exits 0 on SIGTERM after finishing an in-flight request', async () => {
    const dir = newDir();
    const server = await start(dir, { ADMIN_API_KEY: 'process-test-admin-key-0123' });
    const body = JSON.stringify({ name: 'In flight', partySize: 2 });
    // Send the headers and half the body, signal, then the rest: the request is in flight throughout.
    const response = new Promise<{ status: number; text: string; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/guests',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      // Wait until the server has seen the request begin, then signal, then finish it.
      setTimeout(() => {
        server.child.kill('SIGTERM');
        const waitForShutdownLine = setInterval(() => {
          if (server.stdout().includes('SIGTERM')) {
            clearInterval(waitForShutdownLine);
            req.end(body.slice(10));
          }
        }, 10);
      }, 150);
    });
    const result = await response;
    const answeredAt = Date.now();
    expect(result.status).toBe(201);
    expect(result.connection).toBe('close');
    const guest = JSON.parse(result.text) as { id: string; token: string };
    expect(await server.exit).toBe(0);
    // Promptly: the finished request's keep-alive connection must not hold the exit back.
    expect(Date.now() - answeredAt).toBeLessThan(2_000);

    // The in-flight check-in was committed, not lost in the shutdown.
    const again = await start(dir, { ADMIN_API_KEY: 'process-test-admin-key-0123' });
    expect((await again.http.get(`/api/guests/${guest.id}`, { guestToken: guest.token })).status).toBe(200);
    expect(await stop(again)).toBe(0);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['WEBHOOK_TIMEOUT_MS', '-5'],
    ['DATABASE_URL', 'mysql://x'],
    ['ADMIN_API_KEY', 'short'],
    ['SEED_DEMO', 'maybe'],
    ['CHECKIN_RATE_LIMIT', '-1'],
    ['WEBHOOK_RETRY_SCHEDULE', 'soon'],
  ])('refuses to start with %s=%s, naming the variable', async (name, value) => {
    const { code, stderr, stdout } = await refusedStart({ [name]: value });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain(name);
    expect(stdout).not.toContain('listening on');
  });

  it('keeps data across a restart on the same SQLite file, and uses WAL', async () => {
    const dir = newDir();
    const env = { ADMIN_API_KEY: 'process-test-admin-key-0123' };
    const first = await start(dir, env);
    // WAL mode: the write-ahead log sits next to the database while it runs.
    expect(existsSync(join(dir, 'maitred.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'maitred.sqlite-wal'))).toBe(true);
    const created = await first.http.post<Schemas['CheckedInGuestResponse']>('/api/guests', {
      name: 'Persistent',
      partySize: 3,
      email: 'p@example.com',
    });
    expect(created.status).toBe(201);
    const tablesBefore = await first.http.get('/api/tables');
    expect(tablesBefore.body).toHaveLength(12);
    expect(await stop(first)).toBe(0);

    const second = await start(dir, env);
    const read = await second.http.get<Schemas['GuestResponse']>(`/api/guests/${created.body.id}`, {
      guestToken: created.body.token,
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: created.body.id,
      name: 'Persistent',
      partySize: 3,
      email: 'p@example.com',
      status: 'waiting',
      position: 1,
    });
    // The demo floor is seeded once, not again on every start.
    expect((await second.http.get('/api/tables')).body).toEqual(tablesBefore.body);
    expect((await second.http.get<ErrorBody>(`/api/guests/${created.body.id}`, { guestToken: 'gtk_wrong' })).status).toBe(401);
    expect(await stop(second)).toBe(0);
  });

  it('generates and prints an admin key on the first start only, and the key keeps working', async () => {
    const dir = newDir();
    const first = await start(dir, { ADMIN_API_KEY: undefined });
    const match = /^Admin API key: (\S+)$/m.exec(first.stdout());
    expect(match).not.toBeNull();
    const key = match![1];
    // Printed before the listening line, so a script reading stdout has it by the time it can connect.
    expect(first.stdout().indexOf('Admin API key:')).toBeLessThan(first.stdout().indexOf('listening on'));
    const keys = await first.http.get('/api/keys', { token: key });
    expect(keys.status).toBe(200);
    expect(JSON.stringify(keys.body)).not.toContain(key);
    expect((await first.http.get('/api/keys', { token: `${key}x` })).status).toBe(401);
    expect(await stop(first)).toBe(0);

    const second = await start(dir, { ADMIN_API_KEY: undefined });
    expect(second.stdout()).not.toContain('Admin API key');
    expect((await second.http.get('/api/keys', { token: key })).status).toBe(200);
    expect(await stop(second)).toBe(0);
    // Still nothing printed during shutdown either.
    expect(second.stdout()).not.toContain('Admin API key');
  });
});
