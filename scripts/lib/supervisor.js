'use strict';
/**
 * Runs a set of Node programs as one: each child's output lines are prefixed with its name, a child
 * counts as started once it prints its ready line, one child exiting on its own stops them all, and
 * Ctrl-C (SIGINT) or SIGTERM stops them all cleanly (SIGTERM, then SIGKILL after a grace period).
 * It knows nothing of the demo: scripts/start.js says which programs run with which environment.
 */
const { spawn } = require('node:child_process');

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

/** Runs `node <entry>`, prefixing its output lines; `ready` resolves on the first line matching `readyPattern`. */
function launch(name, entry, env, readyPattern, cwd) {
  const label = (line) => (line.startsWith(`${name}: `) ? line : `${name}: ${line}`);
  const child = spawn(process.execPath, [entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let onLine;
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} printed no ready line within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    onLine = (line) => {
      if (readyPattern.test(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready`));
    });
  });
  // A rejection nobody awaits yet (a child dying after it was ready) must not crash the supervisor.
  ready.catch(() => undefined);
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    let partial = '';
    stream.setEncoding('utf8').on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        out.write(`${label(line)}\n`);
        onLine(line);
      }
    });
    stream.on('end', () => partial && out.write(`${label(partial)}\n`));
  }
  return { name, child, ready, exited };
}

class Supervisor {
  /** `cwd`: the children's working directory. */
  constructor({ cwd }) {
    this.cwd = cwd;
    this.children = [];
    this.stopping = false;
  }

  /** Stops everything on Ctrl-C or SIGTERM. Ctrl-C reaches the children too (same process group); they ignore the extra SIGTERM. */
  stopOnSignals() {
    process.on('SIGINT', () => void this.stop());
    process.on('SIGTERM', () => void this.stop());
  }

  /** Starts a child under supervision: if it exits while the others run, everything stops. */
  start(name, entry, env, readyPattern) {
    const launched = launch(name, entry, env, readyPattern, this.cwd);
    this.children.push(launched);
    void launched.exited.then(({ code, signal }) => {
      if (!this.stopping) void this.stop(`${name} exited unexpectedly (${signal ?? code}); stopping the demo`);
    });
    return launched;
  }

  /**
   * Stops every child and exits: 0 when stopped on request and every child exited 0, else 1.
   * `reason` (a failure) is printed and makes the exit code 1.
   */
  async stop(reason) {
    if (this.stopping) return;
    this.stopping = true;
    if (reason) console.log(reason);
    const running = () => this.children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    for (const { child } of running()) child.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const { child, name } of running()) {
        console.error(`${name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
        child.kill('SIGKILL');
      }
    }, STOP_GRACE_MS);
    const results = await Promise.all(this.children.map((c) => c.exited));
    clearTimeout(killer);
    process.exit(results.every((r) => r.code === 0) && !reason ? 0 : 1);
  }
}

module.exports = { launch, Supervisor };
