'use strict';
/** Scenario 11 retention stall. */
const { join } = require('node:path');
const { ADMIN_KEY } = require('../lib/app');
const { createDatabase } = require('../lib/postgres');
const { newId } = require('../lib/payloads');
const { nowMs, percentile, round, sleep } = require('../lib/util');
const { SCENARIOS } = require('./common');

const DAY_MS = 86_400_000;
/** Rows per INSERT while pre-loading: 9 columns × 500 stays far under both databases' bound-variable limits. */
const CHUNK = 500;

/**
 * 11. What retention costs the write path: a database holding a backlog 40 days old (events,
 * their finished deliveries and one attempt each, with a 512-byte response body), and check-ins
 * at a steady rate across the app's first retention pass, on SQLite and on PostgreSQL. Target:
 * no purge batch holds the write path over 50 ms (the app's own `maitred_retention_longest_batch_seconds`).
 * Beside it, the check-ins' p99 and longest answer during the pass, against the same check-ins
 * before it in the same run.
 */
async function scenarioRetention(run, kind) {
  if (!run.wants(11)) return;
  const S = SCENARIOS.retention(kind);
  run.progress.scenario = S;
  const url =
    kind === 'sqlite'
      ? `sqlite:${join(run.tmp, 'retention.sqlite')}`
      : await createDatabase(run.pg.adminUrl, 'maitred_bench_retention');
  // A first start migrates the database and registers the endpoint; the backlog goes in while the
  // app is down, so the measured start's first pass (RETENTION_INTERVAL after boot) finds all of it.
  const migrating = await run.startApp(`app-retention-${kind}-setup`, url);
  const [endpointId] = await run.registerEndpoints(migrating, run.ports.healthy);
  await run.stopApp(migrating);
  const db = await run.openDb(url);
  const backlog = run.p.retentionBacklog;
  const loadStarted = nowMs();
  try {
    await preloadOldBacklog(db, endpointId, backlog);
  } finally {
    await run.closeDb(db);
  }
  run.progress.step(`${backlog} old events, deliveries and attempts pre-loaded in ${Math.round(nowMs() - loadStarted)} ms`);
  const intervalSeconds = run.p.retentionBaselineSeconds + 1;
  const app = await run.startApp(`app-retention-${kind}`, url, { RETENTION_INTERVAL: `${intervalSeconds}s` });
  const bootedAt = nowMs();
  try {
    const expected = backlog * 3;
    // Check-ins from boot (the baseline, before the first pass) until the pass has deleted the backlog.
    const samples = [];
    const pass = { startedAt: null, endedAt: null, deleted: 0, longestBatchMs: null };
    const deadline = bootedAt + (intervalSeconds + run.p.retentionTimeoutSeconds) * 1000;
    const watching = (async () => {
      while (pass.endedAt === null && nowMs() < deadline) {
        const polledAt = nowMs();
        const metrics = await retentionMetrics(app);
        // The pass began at most one poll interval before the poll that first saw deletions.
        if (metrics.deleted > 0 && pass.startedAt === null) pass.startedAt = polledAt - run.p.retentionPollMs;
        pass.deleted = metrics.deleted;
        pass.longestBatchMs = metrics.longestBatchMs;
        if (metrics.deleted >= expected) pass.endedAt = nowMs();
        else await sleep(run.p.retentionPollMs);
      }
    })();
    await steadyCheckIns(run, app, samples, () => pass.endedAt !== null || nowMs() > deadline);
    await watching;
    if (pass.endedAt === null) {
      run.checks.push(`${S}: the first retention pass deleted ${pass.deleted} of ${expected} old rows by its deadline`);
      return;
    }
    // The first second after boot is the app warming up, not the baseline.
    const before = samples.filter((s) => s.scheduled > bootedAt + 1_000 && s.answeredAt < pass.startedAt).map((s) => s.ms);
    const during = samples.filter((s) => s.answeredAt >= pass.startedAt && s.scheduled <= pass.endedAt).map((s) => s.ms);
    const errors = samples.filter((s) => s.status !== 201).length;
    if (errors > 0) run.checks.push(`${S}: ${errors} check-ins did not answer 201 during the run`);
    if (during.length === 0 || before.length === 0) {
      run.checks.push(`${S}: ${during.length} check-ins during the pass and ${before.length} before it: nothing to compare`);
      return;
    }
    run.progress.step(
      `pass of ${expected} rows in ~${Math.round(pass.endedAt - pass.startedAt)} ms; ${during.length} check-ins during it, ${before.length} before`,
    );
    run.add(S, 'longest purge batch', pass.longestBatchMs, 'ms', { target: { on: 'value', op: '<=', value: 50 }, digits: 1 });
    run.add(S, 'check-in p99 during the pass', percentile(during, 99), 'ms', { baseline: percentile(before, 99), digits: 1 });
    run.add(S, 'longest check-in during the pass', Math.max(...during), 'ms', { baseline: Math.max(...before), digits: 1 });
    run.notes.push(
      `${S}: ${during.length} check-ins at ${run.p.retentionRate}/s during a pass of ${round((pass.endedAt - pass.startedAt) / 1000, 1)} s (${expected} rows), ${before.length} before it`,
    );
  } finally {
    await run.stopApp(app);
  }
}

/** `count` events 40 days old, each with a succeeded delivery to `endpointId` and its attempt. */
async function preloadOldBacklog(db, endpointId, count) {
  const at = new Date(Date.now() - 40 * DAY_MS).toISOString();
  const data = JSON.stringify({
    table: { id: 'tbl_old', label: 'T', capacity: 2, status: 'free', guestId: null },
    previousStatus: 'cleaning',
  });
  const rows = (n, columns) => Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ');
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const events = Array.from({ length: n }, () => newId('evt'));
    const deliveries = events.map(() => newId('dlv'));
    await db.query(
      `INSERT INTO events (id, type, "timestamp", data) VALUES ${rows(n, [1, 2, 3, 4])}`,
      events.flatMap((id) => [id, 'table.status_changed', at, data]),
    );
    await db.query(
      `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, retry_step, created_at, delivered_at)
       VALUES ${rows(n, [1, 2, 3, 4, 5, 6, 7, 8, 9])}`,
      deliveries.flatMap((id, i) => [id, events[i], endpointId, 'table.status_changed', 'succeeded', 1, 0, at, at]),
    );
    await db.query(
      `INSERT INTO webhook_attempts (delivery_id, endpoint_id, at, status_code, duration_ms, error, response_body)
       VALUES ${rows(n, [1, 2, 3, 4, 5, 6, 7])}`,
      deliveries.flatMap((id) => [id, endpointId, at, 200, 3, null, 'x'.repeat(512)]),
    );
  }
}

/**
 * Open-loop check-ins at `retentionRate` until `done()`: each leaves on its schedule, its time
 * measured from that schedule (a stalled server cannot hide its queueing). The line is kept
 * at about `line` guests, the oldest leaving with its own guest token.
 */
async function steadyCheckIns(run, app, samples, done) {
  const rate = run.p.retentionRate;
  const line = [];
  const pending = [];
  const start = nowMs() + 20;
  for (let i = 0; !done(); i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - nowMs();
    if (wait > 1) await sleep(wait);
    pending.push(
      app.api('POST', '/api/guests', { name: `Retention guest ${i}`, partySize: 1 + (i % 4) }).then((res) => {
        const answeredAt = nowMs();
        samples.push({ scheduled, answeredAt, ms: answeredAt - scheduled, status: res.status });
        if (res.status !== 201) return undefined;
        line.push(res.body);
        if (line.length <= run.p.line) return undefined;
        const guest = line.shift();
        return app.api('POST', `/api/guests/${guest.id}/leave`, {}, { guestToken: guest.token });
      }),
    );
    if (i % 50 === 0) run.progress.status(`retention: ${i} check-ins sent`);
  }
  await Promise.all(pending);
}

/** Rows deleted so far (all stages) and the longest batch (ms), from the app's /metrics. */
async function retentionMetrics(app) {
  const response = await fetch(`${app.base}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text.slice(0, 200)}`);
  let deleted = 0;
  for (const match of text.matchAll(/^maitred_retention_deleted_total\{stage="(\w+)"\} (\d+)$/gm))
    if (match[1] !== 'guests' && match[1] !== 'idempotency') deleted += Number(match[2]);
  const longest = /^maitred_retention_longest_batch_seconds (\S+)$/m.exec(text);
  return { deleted, longestBatchMs: longest ? Number(longest[1]) * 1000 : null };
}

module.exports = { scenarioRetention };
