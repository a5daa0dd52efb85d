'use strict';
/**
 * The benchmark: every scenario of docs/benchmarks.md, each measured over repeated rounds and
 * set against a baseline measured in the same run. Everything runs on loopback in processes of
 * its own, started and stopped here:
 *
 *   this process (orchestrator, load generator) ─┬─ receivers (K answering + 1 hanging)
 *                                                ├─ raw sender (bare undici loop)
 *                                                ├─ app instance(s): node <dist>/main.js
 *                                                ├─ Socket.IO clients
 *                                                ├─ pg-boss workers, pg-boss producer
 *                                                └─ embedded PostgreSQL
 */
const { mkdtempSync, rmSync, readFileSync } = require('node:fs');
const os = require('node:os');
const { join, resolve } = require('node:path');
const autocannon = require('autocannon');
const { AppInstance, ADMIN_KEY, sampleMemory, openDatabase, waitSettled, clearFinished } = require('./app');
const { candidates: pgbossCandidates, describe: describePgboss } = require('./pgboss-configs');
const { makeEvents, bodyOf, newId } = require('./payloads');
const { createDatabase } = require('./postgres');
const { PROFILES } = require('./profiles');
const { Progress } = require('./progress');
const { forkHelper, nowMs, sleep, round, percentile, median } = require('./util');

const LIB = __dirname;

const SCENARIOS = {
  raw: '1 raw limit',
  sqlite: '2 fan-out SQLite',
  pg1: '2 fan-out PostgreSQL ×1',
  pg2: '2 fan-out PostgreSQL ×2',
  peer: '3 pg-boss peer',
  latency: '4 end-to-end latency',
  checkin: '5 check-in throughput',
  isolation: '6 isolation',
  broadcast: '7 live fan-out',
  memory: '8 memory',
};

function secret() {
  return `whsec_${require('node:crypto').randomBytes(32).toString('base64')}`;
}

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
        WEBHOOK_ALLOWED_HOSTS: [...this.ports.healthy, ...this.ports.hanging].map((p) => `127.0.0.1:${p}`).join(','),
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
      if (Date.now() > deadline) throw new Error(`${label}: only ${stats.total} of ${expected} requests arrived within ${timeoutMs} ms`);
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
    await this.drainRound(`${label} warm-up`, events * endpointIds.length, () => db.insertBacklog(makeEvents(events), endpointIds, newId));
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

  // ── scenarios ──────────────────────────────────────────────────────────────────────────

  /**
   * 1. The ceiling: bare undici POSTs from one process to the same receivers with the same
   * concurrency. A raw round runs right before every measured throughput round, so each
   * scenario is set against the ceiling as it was at that moment (the machine may be shared).
   */
  async setupRaw() {
    const S = SCENARIOS.raw;
    this.progress.scenario = S;
    const { endpoints: K, concurrencyPerEndpoint: C } = this.p;
    const sample = makeEvents(200);
    this.rawSetup = {
      urls: this.ports.healthy.map((port) => `http://127.0.0.1:${port}/hook`),
      bodies: sample.map(bodyOf),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'maitred-bench-raw',
        'webhook-id': sample[0].id,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': `v1,${Buffer.alloc(32, 7).toString('base64')}`,
      },
      // The raw loop is several times faster than any real sender: longer rounds keep its timing stable.
      perUrl: this.p.events * this.p.rawRoundFactor,
    };
    this.rawRates = [];
    this.raw = this.helper('raw-sender-process.js', 'raw sender');
    const { urls, bodies, headers, perUrl } = this.rawSetup;
    this.progress.step(`${K} receivers × ${C} connections, ${perUrl * K} requests per raw round`);
    // Warm-up: connections and the JIT on both sides.
    await this.drainRound('raw warm-up', this.p.warmupEvents * K, () =>
      this.raw.call('run', { urls, perUrl: this.p.warmupEvents, concurrency: C, bodies, headers }),
    );

    // One hop's latency at the delivery rates of scenario 4: the floor under any sender's latency.
    this.baselines.hop = {};
    for (const rate of this.p.latencyRates) {
      await this.receivers.call('reset');
      await this.receivers.call('record', { on: true });
      const { sent } = await this.raw.call('paced', { urls, rate: rate * K, seconds: this.p.latencySeconds, concurrency: C, headers });
      await this.waitArrivals(sent.length, `raw paced ${rate * K}/s`, 60_000);
      const arrivals = (await this.receivers.call('arrivals')).map((pairs) => new Map(pairs));
      await this.receivers.call('record', { on: false });
      const hops = [];
      for (const [guestId, at] of sent) {
        for (const map of arrivals) if (map.has(guestId)) hops.push(map.get(guestId) - at);
      }
      this.baselines.hop[rate] = { p50: percentile(hops, 50), p99: percentile(hops, 99) };
      this.add(S, `one hop p50 @ ${rate * K} requests/s`, this.baselines.hop[rate].p50, 'ms', { digits: 3 });
      this.add(S, `one hop p99 @ ${rate * K} requests/s`, this.baselines.hop[rate].p99, 'ms', { digits: 3 });
    }
  }

  async rawRound() {
    const { urls, bodies, headers, perUrl } = this.rawSetup;
    const { rate } = await this.drainRound('raw round', perUrl * urls.length, () =>
      this.raw.call('run', { urls, perUrl, concurrency: this.p.concurrencyPerEndpoint, bodies, headers }),
    );
    this.rawRates.push(rate);
    return rate;
  }

  /** Median and slow tail of the raw rounds paired with a scenario's rounds. */
  rawBaseline(rates) {
    return { median: median(rates), slow: percentile(rates, 1) };
  }

  reportRaw() {
    if (this.rawRates.length === 0) return;
    this.addThroughput(SCENARIOS.raw, this.rawRates, 'requests/s');
    this.notes.push(`${SCENARIOS.raw}: ${this.rawRates.length} rounds, one before each measured throughput round: ${this.rawRates.map((r) => Math.round(r)).join(', ')} requests/s`);
  }

  /**
   * One round of an app (or apps) draining a pre-loaded backlog (N events × K endpoints, written
   * to its database in one transaction), preceded by a raw round. Returns both rates.
   */
  async pairedAppRound(label, db, endpointIds, apps) {
    const raw = await this.rawRound();
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

  /**
   * SQLite. Scenario 2 on app A and scenario 6 on app B (the same plus a hanging endpoint with
   * a backlog), their rounds alternating (raw, A, B, raw, A, B, ...) so that both meet the same
   * machine; A's memory is sampled meanwhile (8). Then 4, 5 and 7 on app A.
   */
  async sqliteApps() {
    if (![2, 4, 5, 6, 7, 8].some((n) => this.wants(n))) return;
    this.progress.scenario = SCENARIOS.sqlite;
    const urlA = `sqlite:${join(this.tmp, 'sqlite-a.sqlite')}`;
    const app = await this.startApp('app-sqlite', urlA);
    const db = await this.openDb(urlA);
    let isolation = null;
    try {
      const endpointIds = await this.registerEndpoints(app, this.ports.healthy);
      this.facts.sqliteIdleRssMB = round(app.memory().rssMB, 1);
      if (this.wants(6)) isolation = await this.startIsolationApp();
      if (this.wants(2) || this.wants(6) || this.wants(8)) {
        this.progress.step(`${this.p.events} events × ${endpointIds.length} endpoints pre-loaded per round, ${this.p.rounds} rounds`);
        await this.warmUp('SQLite', db, endpointIds);
        if (isolation) await this.warmUp('isolation', isolation.db, isolation.healthyIds);
        const sqlite = { rates: [], raw: [] };
        const iso = { rates: [], raw: [] };
        let peak = 0;
        for (let r = 0; r < this.p.rounds; r++) {
          const memory = sampleMemory([app]);
          const a = await this.pairedAppRound(`SQLite round ${r + 1}/${this.p.rounds}`, db, endpointIds, [app]);
          peak = Math.max(peak, memory.stop());
          sqlite.rates.push(a.rate);
          sqlite.raw.push(a.raw);
          if (isolation) {
            this.progress.scenario = SCENARIOS.isolation;
            const b = await this.pairedAppRound(`isolation round ${r + 1}/${this.p.rounds}`, isolation.db, isolation.healthyIds, [isolation.app]);
            iso.rates.push(b.rate);
            iso.raw.push(b.raw);
            this.progress.scenario = SCENARIOS.sqlite;
          }
        }
        this.rssDuringFanout = peak;
        this.baselines.sqlite = this.addThroughput(SCENARIOS.sqlite, sqlite.rates, 'deliveries/s', {
          baseline: this.rawBaseline(sqlite.raw),
          target: { on: 'ratio', op: '>=', value: 0.5 },
        });
        if (isolation) await this.finishIsolation(isolation, iso, this.baselines.sqlite);
      }
      if (isolation) {
        await this.stopIsolationApp(isolation);
        isolation = null;
      }
      if (this.wants(4)) await this.scenarioLatency(app);
      if (this.wants(5)) await this.scenarioCheckInThroughput(app);
      if (this.wants(7)) await this.scenarioBroadcast(app);
    } finally {
      if (isolation) await this.stopIsolationApp(isolation);
      await this.closeDb(db);
      await this.stopApp(app);
    }
  }

  /** 4. Open-loop check-ins at fixed rates: from the 201 to each receiver having the webhook. */
  async scenarioLatency(app) {
    const S = SCENARIOS.latency;
    this.progress.scenario = S;
    this.progress.step(
      `rates ${this.p.latencyRates.join(', ')}/s × ${this.p.latencySeconds} s × ${this.p.latencyRounds} round(s), ${this.p.endpoints} endpoints, line kept at ${this.p.line}`,
    );
    // A short run first, so the first measured rate does not pay for a cold server.
    await this.openLoopCheckIns(app, 50, this.p.latencyWarmupSeconds);
    for (const rate of this.p.latencyRates) {
      const from201 = [];
      const checkIn = [];
      let before = 0;
      let errors = 0;
      let achieved = [];
      for (let r = 0; r < this.p.latencyRounds; r++) {
        const result = await this.openLoopCheckIns(app, rate, this.p.latencySeconds);
        from201.push(...result.from201);
        checkIn.push(...result.checkIn);
        before += result.beforeThe201;
        errors += result.errors;
        achieved.push(result.achievedRate);
      }
      if (errors > 0) this.checks.push(`${S} @ ${rate}/s: ${errors} request(s) failed`);
      const hop = this.baselines.hop?.[rate] ?? {};
      const at200 = rate === 200;
      this.add(S, `webhook p50 after the 201 @ ${rate}/s`, percentile(from201, 50), 'ms', {
        baseline: hop.p50 ?? null,
        target: at200 ? { on: 'value', op: '<=', value: 3 } : null,
        digits: 3,
      });
      this.add(S, `webhook p99 after the 201 @ ${rate}/s`, percentile(from201, 99), 'ms', {
        baseline: hop.p99 ?? null,
        target: at200 ? { on: 'value', op: '<=', value: 10 } : null,
        digits: 3,
      });
      this.add(S, `check-in API p50 @ ${rate}/s`, percentile(checkIn, 50), 'ms', { digits: 3 });
      this.add(S, `check-in API p99 @ ${rate}/s`, percentile(checkIn, 99), 'ms', { digits: 3 });
      this.notes.push(
        `${S} @ ${rate}/s: ${from201.length} webhooks, ${before} of them arrived before the client had read its 201 (counted as 0 ms); check-ins completed at ${achieved.map((a) => round(a, 0)).join(', ')}/s`,
      );
    }
  }

  /** 5. autocannon: check-ins with webhooks, live sockets and fan-out on, against GET /health of the same server. */
  async scenarioCheckInThroughput(app) {
    const S = SCENARIOS.checkin;
    this.progress.scenario = S;
    const sockets = this.helper('sockets-process.js', 'socket clients');
    try {
      this.progress.status('connecting live clients');
      if (this.p.liveFloorClients > 0) await sockets.call('connect', { url: app.base, namespace: '/floor', count: this.p.liveFloorClients });
      if (this.p.liveStaffClients > 0) {
        await sockets.call('connect', { url: app.base, namespace: '/staff', count: this.p.liveStaffClients, auth: { token: ADMIN_KEY } });
      }
      this.progress.step(
        `autocannon ${this.p.autocannonConnections} connections × ${this.p.autocannonSeconds} s × ${this.p.autocannonRounds} rounds; ${this.p.liveFloorClients} /floor + ${this.p.liveStaffClients} /staff clients, ${this.p.endpoints} endpoints, line kept at ${this.p.line}`,
      );
      const health = [];
      const checkIns = [];
      for (let r = 0; r < this.p.autocannonRounds; r++) {
        const h = await this.cannon(app, { method: 'GET', path: '/health' }, `GET /health round ${r + 1}`);
        health.push(h.rate);
        const c = await this.cannonCheckIns(app, `check-ins round ${r + 1}`);
        checkIns.push(c.rate);
        this.progress.step(`round ${r + 1}: /health ${Math.round(h.rate)}/s, check-ins ${Math.round(c.rate)}/s`);
      }
      const counts = await sockets.call('counts');
      this.notes.push(
        `${S}: live clients received ${counts.floor} availability, ${counts.staffEvents} event, ${counts.staffDeliveries} delivery and ${counts.staffWaitlists} waitlist pushes`,
      );
      const healthStats = this.addThroughput(`${S} (GET /health)`, health, 'requests/s');
      this.addThroughput(S, checkIns, 'check-ins/s', { baseline: healthStats, target: { on: 'ratio', op: '>=', value: 0.3 } });
      // Every check-in was delivered: the fan-out was really on.
      await this.waitArrivals(this.checkInsSent * this.p.endpoints, 'check-in webhooks', 120_000).catch((error) =>
        this.checks.push(`${S}: ${error.message}`),
      );
    } finally {
      await this.closeHelper(sockets);
    }
  }

  async cannon(app, request, label) {
    this.progress.status(label);
    const cpuBefore = app.cpuSeconds();
    const result = await new Promise((resolvePromise, reject) => {
      autocannon(
        {
          url: app.base,
          connections: this.p.autocannonConnections,
          duration: this.p.autocannonSeconds,
          requests: [request],
        },
        (error, res) => (error ? reject(error) : resolvePromise(res)),
      );
    });
    if (result.non2xx > 0 || result.errors > 0) this.checks.push(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const cpu = app.cpuSeconds() - cpuBefore;
    this.notes.push(
      `${label}: ${Math.round(result['2xx'] / result.duration)}/s, app CPU ${round(cpu / result.duration, 2)} cores, ${round((cpu * 1e6) / Math.max(1, result['2xx']), 0)} µs per request`,
    );
    return { rate: result['2xx'] / result.duration, result };
  }

  async cannonCheckIns(app, label) {
    if (!this.checkInsSent) {
      await this.receivers.call('reset');
      this.checkInsSent = 0;
    }
    const line = [];
    const leaves = [];
    let failedLeaves = 0;
    const leave = (guest) =>
      leaves.push(
        app.api('POST', `/api/guests/${guest.id}/leave`, {}, { guestToken: guest.token }).then((r) => {
          if (r.status >= 300) failedLeaves++;
        }),
      );
    const { rate, result } = await this.cannon(
      app,
      {
        method: 'POST',
        path: '/api/guests',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Load test guest', partySize: 2 }),
        onResponse: (status, body) => {
          if (status !== 201) return;
          const guest = JSON.parse(body);
          line.push({ id: guest.id, token: guest.token });
          if (line.length > this.p.line) leave(line.shift());
        },
      },
      label,
    );
    this.checkInsSent += result['2xx'];
    line.splice(0).forEach(leave);
    await Promise.all(leaves);
    if (failedLeaves > 0) this.checks.push(`${label}: ${failedLeaves} leave request(s) failed`);
    return { rate };
  }

  /** 7. One table change, pushed to every /floor client: until the last one has it. */
  async scenarioBroadcast(app) {
    const S = SCENARIOS.broadcast;
    this.progress.scenario = S;
    const sockets = this.helper('sockets-process.js', 'socket clients');
    try {
      const tables = await app.admin('GET', '/api/tables');
      const table = tables.find((t) => t.status === 'free');
      if (!table) throw new Error('no free table to toggle');
      let reserved = false;
      const changes = async (count) => {
        const toLast = [];
        for (let i = 0; i < count; i++) {
          await sockets.call('expectNext', { timeoutMs: 15_000 });
          const t0 = nowMs();
          reserved = !reserved;
          await app.admin('PATCH', `/api/tables/${table.id}`, { status: reserved ? 'reserved' : 'free' });
          const { last } = await sockets.call('await');
          toLast.push(last - t0);
          this.progress.status(`change ${i + 1}/${count}`);
          await sleep(20);
        }
        return toLast;
      };
      await sockets.call('connect', { url: app.base, namespace: '/floor', count: 1 });
      await changes(3);
      const single = await changes(this.p.broadcastChanges);
      this.progress.status(`connecting ${this.p.broadcastClients} /floor clients`);
      await sockets.call('connect', { url: app.base, namespace: '/floor', count: this.p.broadcastClients - 1 });
      this.progress.step(`${this.p.broadcastClients} /floor clients, ${this.p.broadcastChanges} table changes (baseline: the same with 1 client)`);
      await changes(3);
      const many = await changes(this.p.broadcastChanges);
      const n = this.p.broadcastClients;
      this.add(S, `to the last of ${n} clients p50`, percentile(many, 50), 'ms', { baseline: percentile(single, 50), digits: 1 });
      this.add(S, `to the last of ${n} clients p99`, percentile(many, 99), 'ms', {
        baseline: percentile(single, 99),
        target: { on: 'value', op: '<=', value: 100 },
        digits: 1,
      });
    } finally {
      await this.closeHelper(sockets);
    }
  }

  /** 6. Scenario 2 plus one endpoint that hangs until the timeout, with a 10,000-delivery backlog. */
  async startIsolationApp() {
    const url = `sqlite:${join(this.tmp, 'sqlite-b.sqlite')}`;
    const app = await this.startApp('app-isolation', url);
    const db = await this.openDb(url);
    const healthyIds = await this.registerEndpoints(app, this.ports.healthy);
    const [hangingId] = await this.registerEndpoints(app, this.ports.hanging);
    await db.insertBacklog(makeEvents(this.p.isolationBacklog), [hangingId], newId);
    this.progress.step(
      `isolation app: ${healthyIds.length} healthy endpoints plus 1 that never answers (timeout ${this.p.webhookTimeoutMs} ms) with ${this.p.isolationBacklog} pending`,
    );
    return { app, db, healthyIds, hangingId };
  }

  async finishIsolation(isolation, iso, fanout) {
    const S = SCENARIOS.isolation;
    const stats = await this.receivers.call('stats');
    const [row] = await isolation.db.query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending'", [
      isolation.hangingId,
    ]);
    this.notes.push(
      `${S}: the hanging endpoint was sent ${stats.hanging[0].count} request(s) and had ${stats.hanging[0].open} open at the end; ${row.n} of its deliveries still pending; rounds alternated with scenario 2's`,
    );
    if (stats.hanging[0].count === 0) this.checks.push(`${S}: the hanging endpoint never received a request`);
    this.addThroughput(S, iso.rates, 'deliveries/s', { baseline: fanout, target: { on: 'ratio', op: '>=', value: 0.8 } });
  }

  async stopIsolationApp(isolation) {
    await this.receivers.call('releaseHanging');
    await this.closeDb(isolation.db);
    await this.stopApp(isolation.app);
  }

  /** 8. Resident memory: during scenario 2, and with 100,000 pending deliveries. */
  async scenarioMemory() {
    if (!this.wants(8)) return;
    const S = SCENARIOS.memory;
    this.progress.scenario = S;
    if (this.rssDuringFanout) {
      this.add(S, 'peak RSS during scenario 2 (SQLite)', this.rssDuringFanout, 'MB', { baseline: this.facts.sqliteIdleRssMB, digits: 1 });
    }
    const pending = await this.pendingBacklogRss('app-memory', {});
    this.add(S, `peak RSS with ${pending.count} pending`, pending.peak, 'MB', {
      baseline: pending.idle,
      target: { on: 'value', op: '<=', value: 250 },
      digits: 1,
    });
    // V8 grows its heap rather than collect while allocation is brisk; with a cap it must collect.
    // If RSS stays flat under the cap, nothing is kept per delivery: the growth above is GC slack.
    if (this.p.cappedHeapMB) {
      const capped = await this.pendingBacklogRss('app-memory-capped', { NODE_OPTIONS: `--max-old-space-size=${this.p.cappedHeapMB}` });
      this.add(S, `peak RSS with ${capped.count} pending, heap capped at ${this.p.cappedHeapMB} MB`, capped.peak, 'MB', {
        baseline: capped.idle,
        digits: 1,
      });
    }
  }

  /** A fresh app with a backlog of pendingBacklog deliveries: its RSS idle, and at its peak while draining. */
  async pendingBacklogRss(name, env) {
    const url = `sqlite:${join(this.tmp, `${name}.sqlite`)}`;
    const app = await this.startApp(name, url, env);
    const db = await this.openDb(url);
    try {
      const endpointIds = await this.registerEndpoints(app, this.ports.healthy);
      await sleep(500);
      const idle = app.memory().rssMB;
      const events = Math.ceil(this.p.pendingBacklog / endpointIds.length);
      this.progress.step(`${name}: ${events * endpointIds.length} pending deliveries, RSS sampled for ${this.p.pendingSampleSeconds} s while they drain`);
      await this.receivers.call('reset');
      const memory = sampleMemory([app]);
      await db.insertBacklog(makeEvents(events), endpointIds, newId);
      const until = Date.now() + this.p.pendingSampleSeconds * 1000;
      while (Date.now() < until) {
        const stats = await this.receivers.call('stats');
        this.progress.status(`${stats.total} delivered, ${Math.round(app.memory().rssMB)} MB`);
        await sleep(250);
      }
      const peak = memory.stop();
      const [row] = await db.query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'");
      const delivered = (await this.receivers.call('stats')).total;
      this.notes.push(`${SCENARIOS.memory} (${name}): ${delivered} delivered while sampling, ${row.n} still pending when it stopped`);
      return { peak, idle, count: events * endpointIds.length };
    } finally {
      await this.closeDb(db);
      await this.stopApp(app);
    }
  }

  /** 2 on PostgreSQL with one and two instances, and the app's side of 3 (latency on PostgreSQL). */
  async postgresApps() {
    if (!this.wants(2) && !this.wants(3)) return;
    this.progress.scenario = SCENARIOS.pg1;
    const url = await createDatabase(this.pg.adminUrl, 'maitred_bench');
    const first = await this.startApp('app-pg-1', url);
    const db = await this.openDb(url);
    let second = null;
    try {
      const endpointIds = await this.registerEndpoints(first, this.ports.healthy);
      this.progress.step(`${this.p.events} events × ${endpointIds.length} endpoints pre-loaded per round`);
      await this.warmUp('PostgreSQL ×1', db, endpointIds);
      const one = { rates: [], raw: [] };
      for (let r = 0; r < this.p.rounds; r++) {
        const round1 = await this.pairedAppRound(`PostgreSQL ×1 round ${r + 1}/${this.p.rounds}`, db, endpointIds, [first]);
        one.rates.push(round1.rate);
        one.raw.push(round1.raw);
      }
      this.baselines.pg1 = this.addThroughput(SCENARIOS.pg1, one.rates, 'deliveries/s', {
        baseline: this.rawBaseline(one.raw),
        target: { on: 'ratio', op: '>=', value: 0.4 },
      });
      if (this.wants(3)) {
        this.progress.scenario = SCENARIOS.peer;
        this.progress.step(`Maitred on PostgreSQL: check-ins at ${this.p.pgLatencyRates.join(', ')}/s for ${this.p.pgLatencySeconds} s each`);
        await this.openLoopCheckIns(first, 50, this.p.latencyWarmupSeconds);
        this.maitredPgLatency = {};
        for (const rate of this.p.pgLatencyRates) {
          const result = await this.openLoopCheckIns(first, rate, this.p.pgLatencySeconds);
          this.maitredPgLatency[rate] = { p50: percentile(result.from201, 50), p99: percentile(result.from201, 99) };
          this.notes.push(`${SCENARIOS.peer}, Maitred on PostgreSQL @ ${rate}/s: check-ins completed at ${round(result.achievedRate, 0)}/s`);
        }
      }
      if (this.wants(2)) {
        this.progress.scenario = SCENARIOS.pg2;
        second = await this.startApp('app-pg-2', url);
        this.progress.step('a second instance on the same database');
        await this.warmUp('PostgreSQL ×2', db, endpointIds);
        const two = { rates: [], raw: [] };
        for (let r = 0; r < this.p.rounds; r++) {
          const round2 = await this.pairedAppRound(`PostgreSQL ×2 round ${r + 1}/${this.p.rounds}`, db, endpointIds, [first, second]);
          two.rates.push(round2.rate);
          two.raw.push(round2.raw);
        }
        this.addThroughput(SCENARIOS.pg2, two.rates, 'deliveries/s', {
          baseline: this.rawBaseline(two.raw),
          target: { on: 'ratio', op: '>=', value: 0.4 },
        });
      }
    } finally {
      await this.closeDb(db);
      if (second) await this.stopApp(second);
      await this.stopApp(first);
    }
  }

  /** 3. pg-boss: the same deliveries as jobs on the same PostgreSQL, at its best configuration. */
  async scenarioPeer() {
    if (!this.wants(3)) return;
    const S = SCENARIOS.peer;
    this.progress.scenario = S;
    const { endpoints: K, concurrencyPerEndpoint: C, events } = this.p;
    const url = await createDatabase(this.pg.adminUrl, 'pgboss_bench');
    const endpoints = this.ports.healthy.map((port) => ({ url: `http://127.0.0.1:${port}/hook`, secret: secret() }));
    const configs = pgbossCandidates(K * C, K);
    const poolMax = Math.max(...configs.map((c) => c.poolMax));
    const workers = this.helper('pgboss-process.js', 'pg-boss workers');
    let producer = null;
    try {
      await workers.call('setup', { databaseUrl: url, dist: this.dist, endpoints, concurrencyPerEndpoint: C, poolMax, useListenNotify: true });
      const drain = async (config, n, label) => {
        await workers.call('prepare', { config });
        await workers.call('clear', { config });
        this.progress.status(`${label}: loading ${n * K} jobs`);
        await workers.call('load', { events: n, config });
        const round = await this.drainRound(label, n * K, () => workers.call('work', { config }));
        await workers.call('offWork', { config });
        return round.rate;
      };
      let best = configs[0];
      if (this.p.pgbossCalibrate && this.p.calibrationEvents > 0) {
        let bestRate = -1;
        for (const config of configs) {
          const rate = await drain(config, this.p.calibrationEvents, 'pg-boss calibration');
          this.progress.step(`calibration: ${Math.round(rate)} deliveries/s with ${describePgboss(config)}`);
          this.notes.push(`${S} calibration (${this.p.calibrationEvents * K} jobs): ${Math.round(rate)} deliveries/s with ${describePgboss(config)}`);
          if (rate > bestRate) {
            bestRate = rate;
            best = config;
          }
        }
      }
      this.pgbossConfig = describePgboss(best);
      this.progress.step(`pg-boss ${require('pg-boss/package.json').version}: ${this.pgbossConfig}`);
      await drain(best, this.p.warmupEvents, 'pg-boss warm-up');
      const rates = [];
      const raws = [];
      for (let r = 0; r < this.p.rounds; r++) {
        const raw = await this.rawRound();
        const rate = await drain(best, events, `pg-boss round ${r + 1}/${this.p.rounds}`);
        rates.push(rate);
        raws.push(raw);
        this.progress.step(`pg-boss round ${r + 1}/${this.p.rounds}: ${Math.round(rate)} deliveries/s (raw ${Math.round(raw)}/s)`);
      }
      const peer = this.addThroughput(`${S} (pg-boss)`, rates, 'deliveries/s', { baseline: this.rawBaseline(raws) });
      if (this.baselines.pg1) {
        this.add(S, 'Maitred PostgreSQL ×1 / pg-boss, median', this.baselines.pg1.median, 'deliveries/s', {
          baseline: peer.median,
          target: { on: 'ratio', op: '>=', value: 2 },
          digits: 0,
        });
        this.add(S, 'Maitred PostgreSQL ×1 / pg-boss, p99 (slow tail)', this.baselines.pg1.slow, 'deliveries/s', { baseline: peer.slow, digits: 0 });
      }

      // Latency: jobs inserted by a producer process at the same rate, workers woken by NOTIFY.
      await workers.call('clear', { config: best });
      await workers.call('work', { config: best });
      producer = this.helper('pgboss-process.js', 'pg-boss producer');
      await producer.call('setup', { databaseUrl: url, dist: this.dist, endpoints, concurrencyPerEndpoint: C, poolMax: 10, useListenNotify: false });
      await producer.call('prepare', { config: best });
      const latency = async (rate, seconds) => {
        await this.receivers.call('reset');
        await this.receivers.call('record', { on: true });
        const { sent } = await producer.call('produce', { rate, seconds, config: best });
        await this.waitArrivals(sent.length * K, `pg-boss ${rate}/s`, 60_000);
        const arrivals = (await this.receivers.call('arrivals')).map((pairs) => new Map(pairs));
        await this.receivers.call('record', { on: false });
        const samples = [];
        for (const [guestId, at] of sent) for (const map of arrivals) if (map.has(guestId)) samples.push(Math.max(0, map.get(guestId) - at));
        return samples;
      };
      this.progress.step(`pg-boss: jobs for ${this.p.pgLatencyRates.join(', ')} events/s for ${this.p.pgLatencySeconds} s each`);
      await latency(50, this.p.latencyWarmupSeconds);
      for (const rate of this.p.pgLatencyRates) {
        const samples = await latency(rate, this.p.pgLatencySeconds);
        const peerLatency = { p50: percentile(samples, 50), p99: percentile(samples, 99) };
        this.add(`${S} (pg-boss)`, `send → arrival p50 @ ${rate}/s`, peerLatency.p50, 'ms', { digits: 3 });
        this.add(`${S} (pg-boss)`, `send → arrival p99 @ ${rate}/s`, peerLatency.p99, 'ms', { digits: 3 });
        const mine = this.maitredPgLatency?.[rate];
        if (mine) {
          this.add(S, `Maitred PostgreSQL 201 → arrival p50 @ ${rate}/s`, mine.p50, 'ms', { baseline: peerLatency.p50, digits: 3 });
          this.add(S, `Maitred PostgreSQL 201 → arrival p99 @ ${rate}/s`, mine.p99, 'ms', { baseline: peerLatency.p99, digits: 3 });
        }
      }
      await workers.call('offWork', { config: best });
      const problems = await workers.call('problems');
      if (problems.errors.length > 0) this.checks.push(`${S}: pg-boss errors: ${problems.errors.slice(0, 3).join('; ')}`);
      if (problems.warnings.length > 0) this.notes.push(`${S}: pg-boss warnings: ${[...new Set(problems.warnings)].slice(0, 3).join('; ')}`);
    } finally {
      if (producer) await this.closeHelper(producer);
      await this.closeHelper(workers);
    }
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
    this.progress.step(`mode ${this.mode}, app from ${this.dist}, ${machine.cores} × ${machine.cpu}, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);
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
    this.ports = await this.receivers.call('start', { healthy: this.p.endpoints, hanging: 1 });
    if (this.wants(2) || this.wants(3)) {
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
    await this.setupRaw();
    await this.sqliteApps();
    await this.scenarioMemory();
    if (this.pg) {
      await this.postgresApps();
      await this.scenarioPeer();
    }
    this.reportRaw();
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
      results: this.results.map((r, i) => ({ r, i })).sort((a, b) => parseInt(a.r.scenario, 10) - parseInt(b.r.scenario, 10) || a.i - b.i).map(({ r }) => r),
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

module.exports = { runBench, SCENARIOS, drainRate, readFileSync };
