import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

/**
 * Finding (and if need be installing) the Chromium the browser tests drive. Browsers are never
 * downloaded through npm: the tests use Debian's `chromium` package, installed with apt when
 * it is missing and we are allowed to (root with apt-get), as the contract's Running section says.
 */

const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const INSTALL_HINT =
  "Install Debian's Chromium (as root: `apt-get update && apt-get install -y chromium`) " +
  'or point CHROMIUM_PATH at a Chromium/Chrome binary.';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function hasAptGet(): boolean {
  return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` under a cross-process lock (an atomic mkdir) unless `done()` says it is no longer
 * needed, so two Jest workers (the SQLite and PostgreSQL projects run the same suite) do not race,
 * e.g. for apt's locks; the second one waits and then finds the work done.
 */
async function once(name: string, done: () => boolean, work: () => void): Promise<void> {
  const lock = join(tmpdir(), `maitred-${name}.lock`);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest install is a leftover from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // It disappeared between the two calls: the other worker finished.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another test worker's ${name}`);
      await sleep(500);
    }
  }
  try {
    if (!done()) work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function aptInstallChromium(): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=120', ...args], {
      env,
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    if (result.status !== 0) {
      throw new Error(
        `apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${(result.stderr || result.stdout || '').slice(-2000)}\n${INSTALL_HINT}`,
      );
    }
  }
}

/** The Chromium binary to drive: CHROMIUM_PATH, else /usr/bin/chromium, installing it when allowed. */
export async function findChromium(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new Error(`CHROMIUM_PATH=${configured} is not an executable file. ${INSTALL_HINT}`);
  }
  if (isExecutable(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !hasAptGet()) {
    throw new Error(
      `Chromium not found at ${DEFAULT_CHROMIUM}, and it can only be installed automatically as root with apt-get. ${INSTALL_HINT}`,
    );
  }
  await once('chromium-install', () => isExecutable(DEFAULT_CHROMIUM), aptInstallChromium);
  if (!existsSync(DEFAULT_CHROMIUM))
    throw new Error(`apt-get installed chromium but ${DEFAULT_CHROMIUM} is missing. ${INSTALL_HINT}`);
  return DEFAULT_CHROMIUM;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = await findChromium();
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** The repository root and the built web client the server serves. */
export const ROOT_DIR = join(__dirname, '..', '..');
export const CLIENT_DIST = join(ROOT_DIR, 'client', 'dist');

/**
 * `npm test` builds the client first (pretest); a run of this suite alone (with MAITRED_DIST, say)
 * builds it here when it is missing, since the server can only serve pages that exist.
 */
export async function ensureClientBuilt(): Promise<void> {
  const built = () => existsSync(join(CLIENT_DIST, 'index.html'));
  await once('client-build', built, () => {
    const vite = join(ROOT_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(process.execPath, [vite, 'build', '--config', 'client/vite.config.mts', '--logLevel', 'warn'], {
      cwd: ROOT_DIR,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (result.status !== 0) throw new Error(`building the web client failed:\n${result.stderr || result.stdout}`);
  });
  if (!built()) throw new Error(`no ${join(CLIENT_DIST, 'index.html')} after building the web client`);
}
