import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The built example subscribers, as `npm run build` leaves them; MAITRED_EXAMPLES_DIST points elsewhere. */
export const EXAMPLES_DIST = process.env.MAITRED_EXAMPLES_DIST ?? join(__dirname, '..', '..', 'dist-examples');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A real child process (`node <script>`) whose output the test can wait on. */
export class NodeProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private out = '';
  private listeners: (() => void)[] = [];
  private readonly detached: boolean;

  constructor(
    readonly name: string,
    script: string,
    env: NodeJS.ProcessEnv,
    options: { cwd?: string; detached?: boolean; args?: string[] } = {},
  ) {
    this.detached = options.detached ?? false;
    this.child = spawn(process.execPath, [script, ...(options.args ?? [])], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.detached,
    });
    started.add(this);
    const collect = (chunk: string) => {
      this.out += chunk;
      for (const listener of [...this.listeners]) listener();
    };
    this.child.stdout!.setEncoding('utf8').on('data', collect);
    this.child.stderr!.setEncoding('utf8').on('data', collect);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        for (const listener of [...this.listeners]) listener();
        resolve({ code, signal });
      }),
    );
  }

  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string {
    return this.out;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first match of `pattern` in the output; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs = 20_000, from = 0): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.out.slice(from));
        if (match) {
          done();
          resolve(match);
        } else if (!this.running) {
          done();
          reject(new Error(`${this.name} exited before printing ${pattern}:\n${this.out}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms:\n${this.out}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
      check();
    });
  }

  /** Sends `signal` and resolves with the exit; SIGKILLs after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<Exit> {
    if (this.running) this.child.kill(signal);
    const timer = setTimeout(() => this.kill(), timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** SIGKILL; to the whole process group when started detached (its children too, even after it exited). */
  kill(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      if (this.detached) process.kill(-pid, 'SIGKILL');
      else if (this.running) this.child.kill('SIGKILL');
    } catch {
      // Already gone between the check and the signal.
    }
  }
}

const started = new Set<NodeProcess>();

/** Kills every process the test file started and that is still running (a test that failed midway). */
export function killAll(): void {
  for (const proc of started) proc.kill();
}

/** A port that was free a moment ago, for programs that need one before they start. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Only the variables we mean to set, so the developer's own environment cannot leak in. */
export function cleanEnv(dir: string, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, ...extra };
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}
