import { ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DIST_DIR } from './app';
import { Http } from './http';

/**
 * Maitred instances as operators run them: `node <dist>/main.js` child processes configured
 * only by their environment, found through the `listening on` line they print.
 */
export interface Instance {
  name: string;
  child: ChildProcess;
  pid: number;
  port: number;
  baseUrl: string;
  http: Http;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** SIGTERM (a clean stop), SIGKILLed if it takes longer than `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL: a crash, nothing gets cleaned up. */
  kill(): Promise<void>;
}

const MAIN = join(DIST_DIR, 'main.js');
const launched = new Set<Instance>();

export async function launchInstance(
  name: string,
  dir: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<Instance> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: dir,
    // Only what we set, so the developer's own environment cannot leak in.
    env: { PATH: process.env.PATH, HOME: dir, PORT: '0', LOG_LEVEL: 'warn', CHECKIN_RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name}: no "listening on" line within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const match = /listening on \S*?:(\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve(Number(match[1]));
    };
    child.stdout.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const instance: Instance = {
    name,
    child,
    pid: child.pid!,
    port,
    baseUrl,
    http: new Http(baseUrl),
    output: () => out,
    exited,
    running,
    async stop(stopTimeoutMs = 15_000) {
      if (running()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
      launched.delete(instance);
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
      launched.delete(instance);
    },
  };
  launched.add(instance);
  return instance;
}

/** SIGKILLs every instance this test file started that still runs (a test that failed midway). */
export async function killAllInstances(): Promise<void> {
  await Promise.all([...launched].map((instance) => instance.kill()));
}

/** A port that was free a moment ago, for servers that must be told theirs before they start. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
