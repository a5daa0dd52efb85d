'use strict';
/** Small shared helpers: time, statistics, waiting, and a request/response channel to child processes. */
const { fork } = require('node:child_process');

/**
 * Milliseconds on the system-wide monotonic clock (CLOCK_MONOTONIC). Every process on the
 * machine reads the same clock, so a time taken in the load generator and one taken in a
 * receiver process can be subtracted.
 */
function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function round(n, digits = 2) {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Nearest-rank percentile of an unsorted list (p in 0..100); null for an empty list. */
function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

const median = (values) => percentile(values, 50);

async function waitUntil(check, label, timeoutMs, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await sleep(intervalMs);
  }
}

/** Resolves with `promise`, or rejects after `ms` naming `label`. */
function withTimeout(promise, ms, label) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Starts `file` as a Node child with an IPC channel; `call(cmd, args)` runs the child's handler
 * of that name and resolves with its result. The child ends when this process goes away.
 */
function forkHelper(file, name, execArgv = []) {
  const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  let nextId = 1;
  const pending = new Map();
  let exited = false;
  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${name}: ${message.error}`));
    else waiter.resolve(message.result);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited (${code ?? signal})`));
    pending.clear();
  });
  return {
    name,
    pid: child.pid,
    call(cmd, args = {}, timeoutMs = 600_000) {
      if (exited) return Promise.reject(new Error(`${name} has exited`));
      const id = nextId++;
      const answer = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      child.send({ id, cmd, args });
      return withTimeout(answer, timeoutMs, `${name} ${cmd}`);
    },
    async close() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** The child side of forkHelper: answers each command with its handler's result. */
function serve(handlers) {
  process.on('message', async (message) => {
    try {
      const handler = handlers[message.cmd];
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      const result = await handler.call(handlers, message.args ?? {});
      process.send({ id: message.id, result });
    } catch (error) {
      process.send({ id: message.id, error: error && error.stack ? error.stack : String(error) });
    }
  });
  process.on('disconnect', async () => {
    try {
      if (handlers.close) await handlers.close({});
    } finally {
      process.exit(0);
    }
  });
}

module.exports = { nowMs, sleep, round, percentile, median, waitUntil, withTimeout, forkHelper, serve };
