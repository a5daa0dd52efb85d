'use strict';
/**
 * Sizes per mode. `full` is the published run; `quick` keeps every scenario but fewer and
 * shorter rounds (under 3 minutes on the reference machine); `smoke` only proves the code
 * path end to end with tiny sizes (the test suite runs it; its numbers mean nothing).
 */
const common = {
  /** Healthy receivers, one endpoint each (separate ports, like separate subscribers). */
  endpoints: 4,
  /** The app's defaults, set explicitly; every sender in the run uses the same. */
  concurrencyPerEndpoint: 16,
  globalConcurrency: 128,
  /** Short enough that the hanging endpoint of scenario 6 really times out during its rounds. */
  webhookTimeoutMs: 2_000,
  /** Scenarios 4 and 5 keep the waiting line at about this many guests (the oldest leaves). */
  line: 50,
  /** Scenario 3's latencies, Maitred (check-ins) and pg-boss (jobs), at these events per second. */
  pgLatencyRates: [50, 200],
  /** Raw rounds send this many times a round's deliveries (the same per-request work, a longer window). */
  rawRoundFactor: 3,
  /** pg-boss settings tried before its measured rounds; the best is used (see bench/lib/pgboss-configs.js). */
  pgbossCalibrate: true,
  /** Scenario 8 again with this V8 heap cap (MB), to tell retained memory from GC slack; null skips it. */
  cappedHeapMB: 128,
  /** Check-ins at 50/s for this long before a latency measurement, so it does not pay for a cold path. */
  latencyWarmupSeconds: 1,
  /** Scenario 2's delayed-database rounds: every PostgreSQL answer held this long (a network hop). */
  pgDelayMs: 2,
  /** Scenario 6: the rate-limited endpoint's `rateLimitPerSecond` (its backlog is `isolationBacklog`). */
  isolationRateLimit: 50,
  /** Scenario 9: check-ins sent through the API per round, by this many clients at once. */
  intakeConnections: 32,
  /** Scenario 11: check-ins per second across the retention pass (well under saturation, so a stall shows as one), and how often /metrics is read meanwhile. */
  retentionRate: 20,
  retentionPollMs: 100,
  /** Scenario 11: how long the first pass may take before the round counts as failed. */
  retentionTimeoutSeconds: 120,
  /** Scenario 12: a backlog of this many guests with `orderingEventsPerGuest` events each, per round. */
  orderingGuests: 2_000,
  orderingEventsPerGuest: 2,
};

const PROFILES = {
  smoke: {
    ...common,
    endpoints: 2,
    events: 40,
    warmupEvents: 10,
    rounds: 1,
    latencyRates: [50],
    latencySeconds: 0.5,
    latencyRounds: 1,
    autocannonSeconds: 1,
    autocannonRounds: 1,
    autocannonConnections: 4,
    liveFloorClients: 5,
    liveStaffClients: 1,
    broadcastClients: 10,
    broadcastChanges: 3,
    isolationBacklog: 100,
    pendingBacklog: 1_000,
    pendingSampleSeconds: 1,
    pgLatencySeconds: 0.5,
    pgLatencyRates: [50],
    latencyWarmupSeconds: 0.2,
    cappedHeapMB: null,
    calibrationEvents: 0,
    delayedEvents: 20,
    retentionBacklog: 500,
    retentionBaselineSeconds: 2,
    metricsRounds: 1,
    delayedRounds: 1,
    intakeCheckIns: 40,
    intakeRounds: 1,
    orderingGuests: 20,
    timeLimitMs: 160_000,
  },
  quick: {
    ...common,
    events: 1_500,
    warmupEvents: 200,
    rounds: 3,
    latencyRates: [50, 200, 500],
    latencySeconds: 2,
    latencyRounds: 1,
    autocannonSeconds: 3,
    autocannonRounds: 2,
    autocannonConnections: 32,
    liveFloorClients: 100,
    liveStaffClients: 5,
    broadcastClients: 1_000,
    broadcastChanges: 20,
    isolationBacklog: 10_000,
    pendingBacklog: 100_000,
    pendingSampleSeconds: 5,
    pgLatencySeconds: 2,
    calibrationEvents: 300,
    delayedEvents: 500,
    delayedRounds: 2,
    intakeCheckIns: 1_000,
    intakeRounds: 2,
    retentionBacklog: 20_000,
    retentionBaselineSeconds: 5,
    metricsRounds: 4,
    timeLimitMs: 6 * 60_000,
  },
  full: {
    ...common,
    events: 5_000,
    warmupEvents: 500,
    rounds: 5,
    latencyRates: [50, 200, 500],
    latencySeconds: 5,
    latencyRounds: 3,
    autocannonSeconds: 5,
    autocannonRounds: 5,
    autocannonConnections: 32,
    liveFloorClients: 100,
    liveStaffClients: 5,
    broadcastClients: 1_000,
    broadcastChanges: 100,
    isolationBacklog: 10_000,
    pendingBacklog: 100_000,
    pendingSampleSeconds: 20,
    pgLatencySeconds: 5,
    calibrationEvents: 1_500,
    delayedEvents: 1_500,
    delayedRounds: 3,
    intakeCheckIns: 2_000,
    intakeRounds: 3,
    retentionBacklog: 50_000,
    retentionBaselineSeconds: 10,
    metricsRounds: 8,
    timeLimitMs: 30 * 60_000,
  },
};

module.exports = { PROFILES };
