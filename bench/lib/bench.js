'use strict';
/**
 * The benchmark's harness: every scenario of docs/benchmarks.md (one file each in bench/scenarios/),
 * each measured over repeated rounds and set against a baseline measured in the same run. Everything runs on loopback in processes of
 * its own, started and stopped here:
 *
 *   this process (orchestrator, load generator) ─┬─ receivers (K answering + 1 hanging + 1 rate-limited)
 *                                                ├─ raw sender (bare undici loop)
 *                                                ├─ app instance(s): node <dist>/main.js
 *                                                ├─ Socket.IO clients
 *                                                ├─ pg-boss workers, pg-boss producer
 *                                                └─ embedded PostgreSQL
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const { join, resolve } = require('node:path');
const { AppInstance, openDatabase, waitSettled, clearFinished } = require('./app');
const { makeEvents, newId } = require('./payloads');
const { PROFILES } = require('./profiles');
const { Progress } = require('./progress');
const { forkHelper, nowMs, sleep, round, percentile, median } = require('./util');
// One file per scenario; each function takes this Run (the harness: results, processes, rounds).
const { SCENARIOS } = require('../scenarios/common');
const { rawRound, reportRaw, setupRaw } = require('../scenarios/raw');
const { sqliteApps } = require('../scenarios/fanout-sqlite');
const { scenarioMemory } = require('../scenarios/memory');
const { scenarioMetrics } = require('../scenarios/metrics');
const { scenarioRetention } = require('../scenarios/retention');
const { scenarioOrdering } = require('../scenarios/ordering');
const { postgresApps } = require('../scenarios/fanout-postgres');
const { scenarioPeer } = require('../scenarios/peer');

const LIB = __dirname;

/** Deliveries per second as the receivers saw them: from the first arrival to the last. */
function drainRate(stats) {
  const active = stats.healthy.filter((r) => r.count > 0);
  if (active.length === 0) return 0;
  const first = Math.min(...active.map((r) => r.first));
  const last = Math.max(...active.map((r) => r.last));
  return last > first ? stats.total / ((last - first) / 1000) : 0;
}

class Run {
  constructor(options) {
    this.mode = options.mode ?? 'full';
    if (!PROFILES[this.mode]) throw new Error(`unknown mode ${this.mode}`);
    this.p = { ...PROFILES[this.mode], ...(options.overrides ?? {}) };
    this.dist = resolve(options.dist ?? process.env.MAITRED_DIST ?? join(__dirname, '..', '..', 'dist'));
    this.only = options.only ? new Set(options.only.map(String)) : null;
    this.cpuProfDir = options.cpuProfDir ?? null;
    this.progress = new Progress({ quiet: options.quiet });
    this.results = [];
    this.checks = [];
    this.notes = [];
    this.apps = new Set();
    this.helpers = new Set();
    this.dbs = new Set();
    this.tmp = mkdtempSync(join(os.tmpdir(), 'maitred-bench-'));
    this.baselines = {};
    this.facts = {};
  }

  wants(n) {
    return !this.only || this.only.has(String(n));
  }

  // ── results ────────────────────────────────────────────────────────────────────────────

  /**
   * One figure. `baseline` is the same statistic of this figure's baseline, measured in this
   * run; `target` is `{ on: 'ratio' | 'value', op: '>=' | '<=', value }`.
   */
  add(scenario, metric, value, unit, { baseline = null, target = null, digits = 2 } = {}) {
    const ratio = value !== null && baseline ? value / baseline : null;
    let met = null;
    let targetText = null;
    if (target) {
      targetText = `${target.on} ${target.op === '>=' ? '≥' : '≤'} ${target.value}`;
      const subject = target.on === 'ratio' ? ratio : value;
      met = subject === null ? null : target.op === '>=' ? subject >= target.value : subject <= target.value;
    }
    const entry = {
      scenario,
      metric,
      value: round(value, digits),
      unit,
      baseline: round(baseline, digits),
      ratio: round(ratio, 3),
      target: targetText,
      met,
    };
    this.results.push(entry);
    const shown = [`${metric}: ${entry.value} ${unit}`];
    if (entry.ratio !== null) shown.push(`ratio ${entry.ratio}`);
    if (targetText) shown.push(`target ${targetText} → ${met ? 'met' : 'NOT met'}`);
    this.progress.result(shown.join(' · '));
    return entry;
  }

  /** Median and the slow tail (the rate 99 % of rounds reached) of per-round throughputs. */
  addThroughput(scenario, rates, unit, { baseline = null, target = null } = {}) {
    const med = median(rates);
    const slow = percentile(rates, 1);
    this.add(scenario, 'throughput median', med, unit, { baseline: baseline?.median ?? null, target, digits: 0 });
    this.add(scenario, 'throughput p99 (slow tail)', slow, unit, { baseline: baseline?.slow ?? null, digits: 0 });
    return { median: med, slow, rounds: rates.map((r) => round(r, 0)) };
  }

  // ── infrastructure ─────────────────────────────────────────────────────────────────────

  async startApp(name, databaseUrl, extraEnv = {}) {
    this.progress.status(`starting ${name}`);
    const app = await AppInstance.start({
      dist: this.dist,
      name,
      cpuProfDir: this.cpuProfDir,
      env: {
        DATABASE_URL: databaseUrl,
        WEBHOOK_ALLOWED_HOSTS: [...this.ports.healthy, ...this.ports.hanging, ...this.ports.limited]
          .map((p) => `127.0.0.1:${p}`)
          .join(','),
        WEBHOOK_CONCURRENCY: String(this.p.globalConcurrency),
        WEBHOOK_ENDPOINT_CONCURRENCY: String(this.p.concurrencyPerEndpoint),
        WEBHOOK_TIMEOUT_MS: String(this.p.webhookTimeoutMs),
        ...extraEnv,
      },
    });
    this.apps.add(app);
    return app;
  }

  async stopApp(app) {
    await app.stop();
    this.apps.delete(app);
  }

  async openDb(url) {
    const db = await openDatabase(url);
    this.dbs.add(db);
    return db;
  }

  async closeDb(db) {
    await db.close();
    this.dbs.delete(db);
  }

  helper(file, name) {
    const helper = forkHelper(join(LIB, file), name);
    this.helpers.add(helper);
    return helper;
  }

  async closeHelper(helper) {
    await helper.close();
    this.helpers.delete(helper);
  }

  /** One endpoint per receiver port, subscribed to check-ins; returns their ids. */
  async registerEndpoints(app, ports) {
    const ids = [];
    for (const port of ports) {
      const created = await app.admin('POST', '/api/webhooks/endpoints', {
        url: `http://127.0.0.1:${port}/hook`,
        description: `bench receiver ${port}`,
        eventTypes: ['guest.checked_in'],
      });
      ids.push(created.id);
    }
    return ids;
  }

  /** Waits until the receivers have `expected` requests, showing progress; returns their stats. */
  async waitArrivals(expected, label, timeoutMs = Math.max(60_000, expected * 5)) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stats = await this.receivers.call('stats');
      if (stats.total >= expected) return stats;
      if (Date.now() > deadline)
        throw new Error(`${label}: only ${stats.total} of ${expected} requests arrived within ${timeoutMs} ms`);
      this.progress.status(`${label}: ${stats.total}/${expected} delivered`);
      await sleep(100);
    }
  }

  /**
   * One drain round: empties the receivers' counters, `start()` makes a backlog of `expected`
   * deliveries available to the sender, and the round's rate is what the receivers saw.
   */
  async drainRound(label, expected, start) {
    await this.receivers.call('reset');
    await start();
    const stats = await this.waitArrivals(expected, label);
    const rate = drainRate(stats);
    const signed = stats.healthy.reduce((sum, r) => sum + r.signed, 0);
    return { rate, stats, signed };
  }

  /** A small backlog first: connections, the JIT and the dispatcher's endpoint cache are warm before measuring. */
  async warmUp(label, db, endpointIds) {
    this.progress.status(`${label}: warming up`);
    const events = this.p.warmupEvents;
    await this.drainRound(`${label} warm-up`, events * endpointIds.length, () =>
      db.insertBacklog(makeEvents(events), endpointIds, newId),
    );
    await waitSettled(db, endpointIds, 60_000);
    await clearFinished(db, endpointIds);
  }

  /**
   * Open-loop check-ins at `rate` per second for `seconds` through the REST API: each leaves
   * on its schedule whatever the previous ones are doing. The line is kept at about `line`
   * guests (the oldest leaves with its own guest token). Returns per-sample latencies.
   */
  async openLoopCheckIns(app, rate, seconds) {
    const K = this.p.endpoints;
    await this.receivers.call('reset');
    await this.receivers.call('record', { on: true });
    const total = Math.max(1, Math.round(rate * seconds));
    const sent = [];
    const pending = [];
    const line = [];
    let errors = 0;
    const leave = (guest) =>
      app.api('POST', `/api/guests/${guest.id}/leave`, {}, { guestToken: guest.token }).then((r) => {
        if (r.status >= 300) errors++;
      });
    const start = nowMs() + 20;
    for (let i = 0; i < total; i++) {
      const scheduled = start + (i * 1000) / rate;
      const wait = scheduled - nowMs();
      if (wait > 1) await sleep(wait);
      pending.push(
        app.api('POST', '/api/guests', { name: `Bench guest ${i}`, partySize: 1 + (i % 6) }).then((res) => {
          const answeredAt = nowMs();
          if (res.status !== 201) {
            errors++;
            return undefined;
          }
          // Measured from the scheduled start, so a stalled server cannot hide its queueing delay.
          sent.push({ guestId: res.body.id, scheduled, answeredAt });
          line.push(res.body);
          return line.length > this.p.line ? leave(line.shift()) : undefined;
        }),
      );
      if (i % 50 === 0) this.progress.status(`${rate}/s: ${i}/${total} check-ins sent`);
    }
    await Promise.all(pending);
    const sentSeconds = (nowMs() - start) / 1000;
    await this.waitArrivals(sent.length * K, `${rate}/s webhooks`, 60_000);
    const arrivals = (await this.receivers.call('arrivals')).map((pairs) => new Map(pairs));
    await this.receivers.call('record', { on: false });
    await Promise.all(line.splice(0).map(leave));
    const from201 = [];
    const checkIn = [];
    let beforeThe201 = 0;
    for (const s of sent) {
      checkIn.push(s.answeredAt - s.scheduled);
      for (const map of arrivals) {
        const at = map.get(s.guestId);
        if (at === undefined) continue;
        // The dispatcher is woken by the commit, so a webhook can land before the client has read its 201.
        if (at < s.answeredAt) beforeThe201++;
        from201.push(Math.max(0, at - s.answeredAt));
      }
    }
    return { from201, checkIn, beforeThe201, errors, achievedRate: total / sentSeconds };
  }

  // ── rounds shared by the scenarios ─────────────────────────────────────────────────────

  /**
   * One round of an app (or apps) draining a pre-loaded backlog (N events × K endpoints, written
   * to its database in one transaction), preceded by a raw round. Returns both rates.
   */
  async pairedAppRound(label, db, endpointIds, apps) {
    const raw = await rawRound(this);
    const events = this.p.events;
    const expected = events * endpointIds.length;
    const cpuBefore = apps.reduce((sum, app) => sum + app.cpuSeconds(), 0);
    const wallBefore = Date.now();
    const backlog = makeEvents(events);
    const { rate, signed } = await this.drainRound(label, expected, () => db.insertBacklog(backlog, endpointIds, newId));
    if (signed < expected) this.checks.push(`${label}: only ${signed} of ${expected} deliveries carried a v1 signature`);
    const cpu = apps.reduce((sum, app) => sum + app.cpuSeconds(), 0) - cpuBefore;
    const cores = cpu / ((Date.now() - wallBefore) / 1000);
    this.progress.step(
      `${label}: ${Math.round(rate)} deliveries/s (raw ${Math.round(raw)}/s), app CPU ${round(cores, 2)} cores, ${round((cpu * 1e6) / expected, 0)} µs per delivery`,
    );
    await waitSettled(db, endpointIds, 60_000);
    await clearFinished(db, endpointIds);
    return { rate, raw };
  }

  // ── the run ────────────────────────────────────────────────────────────────────────────

  machine() {
    const cpus = os.cpus();
    return {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGB: round(os.totalmem() / 2 ** 30, 1),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    };
  }

  async run() {
    const started = Date.now();
    const machine = this.machine();
    this.progress.step(
      `mode ${this.mode}, app from ${this.dist}, ${machine.cores} × ${machine.cpu}, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`,
    );
    let watchdog;
    const timeLimit = new Promise((_, reject) => {
      watchdog = setTimeout(() => reject(new Error(`time limit of ${this.p.timeLimitMs / 1000} s reached`)), this.p.timeLimitMs);
    });
    const onSignal = (signal) => {
      this.progress.step(`${signal}: stopping everything`);
      this.cleanUp().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      // Everything stops at the time limit: the clean-up below ends whatever was still running.
      await Promise.race([this.scenarios(machine), timeLimit]);
    } finally {
      clearTimeout(watchdog);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await this.cleanUp();
    }
    machine.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
    return this.report(started, machine);
  }

  async scenarios(machine) {
    this.receivers = this.helper('receiver-process.js', 'receivers');
    this.ports = await this.receivers.call('start', { healthy: this.p.endpoints, hanging: 1, limited: 1 });
    if (this.wants(2) || this.wants(3) || this.wants(11)) {
      this.progress.step('starting PostgreSQL');
      const postgres = this.helper('postgres-process.js', 'PostgreSQL');
      this.pg = { ...(await postgres.call('start', {}, 120_000)), stop: () => this.closeHelper(postgres) };
      const { Client } = require('pg');
      const c = new Client({ connectionString: this.pg.adminUrl });
      await c.connect();
      machine.postgres = (await c.query('SHOW server_version')).rows[0].server_version;
      await c.end();
      machine.postgresFlags = this.pg.flags;
    }
    await setupRaw(this);
    await sqliteApps(this);
    await scenarioMemory(this);
    await scenarioMetrics(this);
    await scenarioRetention(this, 'sqlite');
    await scenarioOrdering(this);
    if (this.pg) {
      await postgresApps(this);
      await scenarioPeer(this);
      await scenarioRetention(this, 'postgres');
    }
    reportRaw(this);
  }

  report(started, machine) {
    return {
      mode: this.mode,
      startedAt: new Date(started).toISOString(),
      seconds: round((Date.now() - started) / 1000, 1),
      machine,
      settings: {
        endpoints: this.p.endpoints,
        concurrencyPerEndpoint: this.p.concurrencyPerEndpoint,
        globalConcurrency: this.p.globalConcurrency,
        eventsPerRound: this.p.events,
        deliveriesPerRound: this.p.events * this.p.endpoints,
        rounds: this.p.rounds,
        webhookTimeoutMs: this.p.webhookTimeoutMs,
        line: this.p.line,
        pgboss: this.pgbossConfig ?? null,
        pgbossVersion: require('pg-boss/package.json').version,
      },
      // Scenario order (the rounds ran interleaved).
      results: this.results
        .map((r, i) => ({ r, i }))
        .sort((a, b) => parseInt(a.r.scenario, 10) - parseInt(b.r.scenario, 10) || a.i - b.i)
        .map(({ r }) => r),
      checks: this.checks,
      notes: this.notes,
    };
  }

  async cleanUp() {
    for (const db of [...this.dbs]) await db.close().catch(() => undefined);
    this.dbs.clear();
    for (const app of [...this.apps]) await app.stop().catch(() => undefined);
    this.apps.clear();
    for (const helper of [...this.helpers]) await helper.close().catch(() => undefined);
    this.helpers.clear();
    if (this.pg) await this.pg.stop().catch(() => undefined);
    this.pg = null;
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Runs the benchmark; `mode` is 'full', 'quick' or 'smoke'. Resolves with the run's report. */
async function runBench(options = {}) {
  const run = new Run(options);
  return run.run();
}

module.exports = { runBench, SCENARIOS, drainRate };
