/**
 * The delivery lifecycle: every change of a webhook_deliveries row is one method of this class,
 * in the order a delivery lives through them. A newcomer reads this file first.
 *
 *   insertForEvent (fan-out, in the event's transaction) ─┐
 *   insertTest (webhook.test, for one endpoint) ──────────┴─► pending, due now
 *     (rows this instance's dispatcher has room for are leased to it in the same statement: hand-off)
 *   pending ──claim──► leased to one worker (renew extends the lease; release or expiry gives it back)
 *   leased ──complete──► succeeded
 *                     ├► pending again at next_attempt_at (the retry schedule, Retry-After)
 *                     └► failed (schedule exhausted, 410 Gone, endpoint disabled)
 *   endpoint disabled ──failForDisabled──► its pending, unleased deliveries failed
 *   (a disable, and a delivery ending failed in `complete`, write an operational event's deliveries: operational)
 *   any state ──retryOne──► pending, due now, fresh schedule (manual retry)
 *   failed ──recover──► pending, due now (an endpoint's failures since a time)
 *   replay (chosen feed events to one endpoint again) ──► new rows, pending, due now, same event ids
 *   succeeded/failed, older than RETENTION ──purgeFinished──► deleted (never a pending one)
 *
 * What `complete` writes is decided by the pure policy (delivery-policy.ts); the SQL lives in
 * sql/*.ts. Every insert or re-queue ends in `due`, which wakes the dispatchers once it commits.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, MoreThanOrEqual, Not } from 'typeorm';
import { Clock } from '../common/clock';
import { ConflictError } from '../common/errors';
import { newId, newIdRange } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import type { RecordedEvent } from '../events/domain-events';
import { DELIVERIES_DUE, ENDPOINTS_CHANGED, SignalBus } from '../events/signals';
import {
  allSucceeded,
  type CompletedAttempt,
  decide,
  type DeliveryPolicy,
  type EndpointHealth,
  type HealthChange,
} from './delivery-policy';
import {
  type ClaimedDelivery,
  claimedFromRow,
  type ClaimedRow,
  type DeliveryRow,
  type EventRow,
  records,
  webhookBody,
} from './delivery-rows';
import { type Delivery, DeliveryEntity, pendingDelivery } from './delivery.entity';
import { EndpointEntity } from './endpoint.entity';
import {
  CLAIM_POSTGRES,
  CLAIM_SQLITE,
  claimParamsPostgres,
  claimParamsSqlite,
  DUE_ENDPOINTS_POSTGRES,
  DUE_ENDPOINTS_SQLITE,
  dueParamsSqlite,
  EVENTS_SQLITE,
} from './sql/claim';
import {
  HEAL_ENDPOINTS_SQLITE,
  INSERT_ATTEMPTS_SQLITE,
  insertAttemptsSqliteParams,
  RECORD_POSTGRES,
  RECORD_SUCCESSES_POSTGRES,
  recordParamsPostgres,
  UPDATE_STATES_SQLITE,
  updateStatesSqliteParams,
} from './sql/complete';
import {
  FAN_OUT_HAND_OFF_POSTGRES,
  FAN_OUT_HAND_OFF_SQLITE,
  FAN_OUT_POSTGRES,
  FAN_OUT_SQLITE,
  fanOutParams,
  type HandOffLease,
} from './sql/fan-out';
import { orderingKeyOf } from './ordering';
import { REPLAY_MAX_EVENTS } from './replay-window';
import { REPLAY_COUNT_POSTGRES, REPLAY_COUNT_SQLITE, replayCountParams } from './sql/replay-count';
import { REPLAY_POSTGRES, REPLAY_SQLITE, replayParams } from './sql/replay';
import { OPERATIONAL_POSTGRES, OPERATIONAL_SQLITE, operationalParams } from './sql/operational';
import { isOperationalEventType, type OperationalEvents, type OperationalEventType, WEBHOOK_TEST_TYPE } from './webhook-events';
import { PURGE_ATTEMPTS_POSTGRES, PURGE_ATTEMPTS_SQLITE, purgeAttemptsParams } from './sql/purge-attempts';
import { PURGE_DELIVERIES_POSTGRES, PURGE_DELIVERIES_SQLITE, purgeDeliveriesParams } from './sql/purge-deliveries';
import { PROBE_POSTGRES, PROBE_SQLITE, probeParams } from './sql/probe';
import { BREAKER_DEFAULTS } from './circuit-breaker';
import { adapt, grant, nextTokenInMs, type RateOutcomes, rateOf, type RateState, refill } from './rate-limit';
import {
  ADAPT_RATE_POSTGRES,
  ADAPT_RATE_SQLITE,
  adaptRateParams,
  RATE_STATE_POSTGRES,
  RATE_STATE_SQLITE,
  type RateRow,
  rateStateOf,
  rateStateParams,
  SPEND_TOKENS_POSTGRES,
  SPEND_TOKENS_SQLITE,
  spendTokensParams,
} from './sql/rate-limit';

export type { ClaimedDelivery } from './delivery-rows';

/** What a claim took, and what the rate limits held back (see DeliveryLifecycle.claimWithLimits). */
export interface ClaimResult {
  claimed: ClaimedDelivery[];
  /** Rows asked for once the token buckets had their say: a claim that took all of them may find more. */
  offered: number;
  /** Endpoints their bucket cut short: milliseconds until it holds a whole token again. */
  throttled: Map<string, number>;
}

/** A claim's token buckets: the wanted rows after them, and the tokens each limited endpoint had. */
interface Buckets {
  wanted: [string, number][];
  /** The time the buckets were refilled to (epoch ms): the database's clock on PostgreSQL. */
  at: number;
  tokens: Map<string, number>;
  throttled: Map<string, number>;
}

function totalOf(wanted: readonly [string, number][]): number {
  return wanted.reduce((sum, [, n]) => sum + n, 0);
}

/**
 * A delivery whose attempt just ended it `failed`, which delivery.exhausted reports; except the
 * delivery of an operational event itself, whose exhaustion would otherwise report itself again.
 */
function exhausts(state: Delivery): boolean {
  return state.status === 'failed' && !isOperationalEventType(state.eventType);
}

/** NOTIFY channel on PostgreSQL: delivered at commit to every instance's dispatcher. */
export const DELIVERIES_CHANNEL = 'maitred_deliveries';

@Injectable()
export class DeliveryLifecycle {
  private readonly postgres: boolean;
  private readonly policy: DeliveryPolicy;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly signals: SignalBus,
    private readonly dataSource: DataSource,
  ) {
    this.postgres = config.isPostgres;
    this.policy = {
      retryScheduleMs: config.webhookRetryScheduleMs,
      disableAfterMs: config.webhookDisableAfterMs,
      breaker: { threshold: config.webhookBreakerAfter, ...BREAKER_DEFAULTS },
    };
  }

  /**
   * Fan-out: a delivery per matching enabled endpoint, in the event's own transaction (see
   * sql/fan-out.ts). With a hand-off lease, the rows of the endpoints it lists are leased to that
   * dispatcher as they are written and returned ready to send, so they skip the claim; the rest
   * are due for any dispatcher as usual.
   */
  async insertForEvent(
    tx: Tx,
    event: RecordedEvent,
    traceContext: string | null,
    handOff?: Omit<HandOffLease, 'leaseExpiresAt'>,
  ): Promise<ClaimedDelivery[]> {
    const runner = tx.manager.queryRunner;
    if (!runner) throw new Error("fan-out needs the transaction's query runner");
    const now = this.clock.iso();
    const range = newIdRange('dlv');
    // Stored only on the rows of per_guest endpoints (see sql/fan-out.ts).
    const keyed = { id: event.id, type: event.type, orderingKey: orderingKeyOf(event.data) };
    if (!handOff || handOff.endpointIds.length === 0) {
      const result = await runner.query(
        this.postgres ? FAN_OUT_POSTGRES : FAN_OUT_SQLITE,
        fanOutParams(this.postgres, range, keyed, now),
        true,
      );
      if ((result.affected ?? 0) > 0) this.due(tx);
      return [];
    }
    const lease = { ...handOff, leaseExpiresAt: this.clock.iso(this.config.webhookLeaseMs) };
    const rows = await records<DeliveryRow>(
      tx,
      this.postgres ? FAN_OUT_HAND_OFF_POSTGRES : FAN_OUT_HAND_OFF_SQLITE,
      fanOutParams(this.postgres, range, keyed, now, lease),
    );
    const leased = rows.filter((row) => row.lease_owner === handOff.workerId);
    if (leased.length < rows.length) this.due(tx);
    // The bytes a claim would build from the stored event: its data is stored as this same JSON.
    const stored: EventRow = {
      id: event.id,
      type: event.type,
      timestamp: event.timestamp,
      data: JSON.stringify(event.data),
      trace_context: traceContext,
    };
    return leased.map((row) => claimedFromRow(row, stored));
  }

  /**
   * A `webhook.test` event for one endpoint whatever its filter. It has no row in the events table
   * (it is no domain event), so the delivery carries its body.
   */
  async insertTest(tx: Tx, endpointId: string): Promise<{ eventId: string }> {
    const eventId = newId('evt');
    const now = this.clock.iso();
    const data = { endpointId, message: 'This is a test event from Maitred.' };
    const payload = webhookBody(WEBHOOK_TEST_TYPE, now, JSON.stringify(data));
    await tx.manager.insert(
      DeliveryEntity,
      pendingDelivery({ id: newId('dlv'), eventId, endpointId, eventType: WEBHOOK_TEST_TYPE, now, payload }),
    );
    this.due(tx);
    return { eventId };
  }

  /**
   * The endpoints with due, unleased work, in id order: what a dispatcher tick shares its slots
   * among, so that idle endpoints cost it nothing (see DUE_ENDPOINTS_*).
   */
  async dueEndpoints(): Promise<string[]> {
    const now = this.clock.iso();
    const rows = await this.uow.read((manager) =>
      manager.query<{ endpoint_id: string }[]>(
        this.postgres ? DUE_ENDPOINTS_POSTGRES : DUE_ENDPOINTS_SQLITE,
        this.postgres ? [now] : dueParamsSqlite(now),
      ),
    );
    return rows.map((row) => row.endpoint_id);
  }

  /**
   * Claims up to `slots.get(endpointId)` due deliveries per endpoint, each endpoint through its
   * own index range, so a huge backlog at one endpoint costs the others nothing. This runs for
   * every batch of deliveries: one statement on either dialect, whatever the number of endpoints.
   * Endpoints whose circuit breaker is open are skipped inside the statement; of `probeCandidates`
   * (paused endpoints whose cool-down may have passed) those whose probe this worker wins first
   * (sql/probe.ts) give exactly one delivery, marked as the probe.
   */
  async claim(workerId: string, slots: Map<string, number>, probeCandidates: readonly string[] = []): Promise<ClaimedDelivery[]> {
    return (await this.claimWithLimits(workerId, slots, probeCandidates, [])).claimed;
  }

  /**
   * `claim`, where the endpoints in `rateLimited` (those the dispatcher's view says have a rate
   * limit) give at most as many rows as their token bucket holds whole tokens (see rate-limit.ts):
   * their buckets are read (locked on PostgreSQL), the claim runs, and what is left is written back,
   * in one transaction. Also returns the rows asked for after the buckets, and, per endpoint the
   * buckets cut short, the milliseconds until its next token.
   */
  async claimWithLimits(
    workerId: string,
    slots: Map<string, number>,
    probeCandidates: readonly string[],
    rateLimited: readonly string[],
  ): Promise<ClaimResult> {
    const now = this.clock.iso();
    const nowMs = this.clock.nowMs();
    const limited = new Set(rateLimited);
    const leaseExpiresAt = this.clock.iso(this.config.webhookLeaseMs);
    const none: ClaimResult = { claimed: [], offered: 0, throttled: new Map() };
    const probe = async (run: (sql: string, params: unknown[]) => Promise<{ id: string }[]>): Promise<string[]> => {
      if (probeCandidates.length === 0) return [];
      const won = await run(
        this.postgres ? PROBE_POSTGRES : PROBE_SQLITE,
        probeParams(this.postgres, probeCandidates, now, leaseExpiresAt),
      );
      return won.map((row) => row.id);
    };
    const wantedWith = (probing: readonly string[]) =>
      [...slots, ...probing.map((id) => [id, 1] as [string, number])]
        .map(([id, limit]): [string, number] => [id, probing.includes(id) ? 1 : limit])
        .filter(([id, limit], index, all) => limit > 0 && all.findIndex(([other]) => other === id) === index);
    const marked = (items: ClaimedDelivery[], probing: readonly string[]) =>
      probing.length === 0
        ? items
        : items.map((item) => (probing.includes(item.delivery.endpointId) ? { ...item, probe: true } : item));
    if (this.postgres) {
      // The probe commits on its own: should this worker die before its claim, the probe is
      // claimable again once the lease it wrote has run out.
      const probing = await probe((sql, params) => this.statement<{ id: string }>(sql, params));
      const wanted = wantedWith(probing);
      if (wanted.length === 0) return none;
      if (!wanted.some(([id]) => limited.has(id))) {
        // One statement, so one round trip, committing on its own (the lease is its only write).
        const rows = await this.statement<ClaimedRow>(
          CLAIM_POSTGRES,
          claimParamsPostgres(wanted, now, workerId, leaseExpiresAt, probing),
        );
        return {
          claimed: marked(
            rows.map((row) => claimedFromRow(row)),
            probing,
          ),
          offered: totalOf(wanted),
          throttled: new Map(),
        };
      }
      return this.uow.run(async (tx) => {
        const buckets = await this.takeTokens(tx, wanted, limited, nowMs);
        if (buckets.wanted.length === 0) return { ...none, throttled: buckets.throttled };
        const rows = await records<ClaimedRow>(
          tx,
          CLAIM_POSTGRES,
          claimParamsPostgres(buckets.wanted, now, workerId, leaseExpiresAt, probing),
        );
        await this.spendTokens(tx, buckets, rows);
        return {
          claimed: marked(
            rows.map((row) => claimedFromRow(row)),
            probing,
          ),
          offered: totalOf(buckets.wanted),
          throttled: buckets.throttled,
        };
      });
    }
    if (probeCandidates.length === 0 && wantedWith([]).length === 0) return none;
    return this.uow.run(async (tx) => {
      const probing = await probe((sql, params) => records<{ id: string }>(tx, sql, params));
      const buckets = await this.takeTokens(tx, wantedWith(probing), limited, nowMs);
      const wanted = buckets.wanted;
      if (wanted.length === 0) return { ...none, throttled: buckets.throttled };
      const rows = await records<DeliveryRow>(
        tx,
        CLAIM_SQLITE,
        claimParamsSqlite(wanted, now, workerId, leaseExpiresAt, probing),
      );
      await this.spendTokens(tx, buckets, rows);
      const eventIds = [...new Set(rows.filter((row) => row.payload === null).map((row) => row.event_id))];
      const events = eventIds.length ? await records<EventRow>(tx, EVENTS_SQLITE, [JSON.stringify(eventIds)]) : [];
      const byId = new Map(events.map((event) => [event.id, event]));
      return {
        claimed: marked(
          rows.map((row) => claimedFromRow(row, byId.get(row.event_id))),
          probing,
        ),
        offered: totalOf(wanted),
        throttled: buckets.throttled,
      };
    });
  }

  /**
   * The rate limit's half of a claim, before it: each limited endpoint's bucket refilled to now and
   * its wanted rows cut to the whole tokens in it (endpoints cut to none are left out of the claim,
   * so their rows are skipped, not waited on). Reads nothing when no wanted endpoint is limited.
   */
  private async takeTokens(
    tx: Tx,
    wanted: readonly [string, number][],
    limited: ReadonlySet<string>,
    nowMs: number,
  ): Promise<Buckets> {
    const ids = wanted.filter(([id]) => limited.has(id)).map(([id]) => id);
    const buckets: Buckets = { wanted: [...wanted], at: nowMs, tokens: new Map(), throttled: new Map() };
    if (ids.length === 0) return buckets;
    const rows = await records<RateRow>(
      tx,
      this.postgres ? RATE_STATE_POSTGRES : RATE_STATE_SQLITE,
      rateStateParams(this.postgres, ids),
    );
    const states = new Map(rows.map((row) => [row.id, rateStateOf(row)]));
    const at = rows[0]?.db_now_ms ?? nowMs;
    buckets.at = at;
    buckets.wanted = wanted
      .map(([id, n]): [string, number] => {
        const state = states.get(id);
        const rate = state ? rateOf(state) : null;
        if (!state || rate === null) return [id, n];
        const available = refill(state, at);
        const granted = grant(available, n);
        buckets.tokens.set(id, available);
        if (granted < n) buckets.throttled.set(id, nextTokenInMs(available - granted, rate));
        return [id, granted];
      })
      .filter(([, n]) => n > 0);
    return buckets;
  }

  /** The rate limit's half after the claim: each limited endpoint's bucket less the rows it gave. */
  private async spendTokens(tx: Tx, buckets: Buckets, rows: readonly { endpoint_id: string }[]): Promise<void> {
    for (const [id, available] of buckets.tokens) {
      const taken = rows.filter((row) => row.endpoint_id === id).length;
      await records(
        tx,
        this.postgres ? SPEND_TOKENS_POSTGRES : SPEND_TOKENS_SQLITE,
        spendTokensParams(available - taken, buckets.at, id),
      );
    }
  }

  /**
   * Rate adaptation after recorded attempts (see rate-limit.ts `adapt`): 429/502/504 answers halve
   * an endpoint's effective rate, successes raise it back. Flow control, not delivery state, so in
   * a transaction of its own after the attempts are recorded: a crash between the two loses one
   * step of adaptation, nothing else. Returns the endpoints whose rate changed, with the new one.
   */
  async adaptRates(
    outcomes: ReadonlyMap<string, RateOutcomes>,
    observedPerSecond: ReadonlyMap<string, number>,
  ): Promise<Map<string, Pick<RateState, 'effective' | 'throttledAt'>>> {
    const changed = new Map<string, Pick<RateState, 'effective' | 'throttledAt'>>();
    if (outcomes.size === 0) return changed;
    const nowMs = this.clock.nowMs();
    return this.uow.run(async (tx) => {
      const ids = [...outcomes.keys()].sort();
      const rows = await records<RateRow>(
        tx,
        this.postgres ? RATE_STATE_POSTGRES : RATE_STATE_SQLITE,
        rateStateParams(this.postgres, ids),
      );
      for (const row of rows) {
        const state = rateStateOf(row);
        const seen = outcomes.get(row.id) ?? { throttled: 0, succeeded: 0 };
        const next = adapt(state, seen, observedPerSecond.get(row.id) ?? 0, nowMs);
        if (next.effective === state.effective && next.throttledAt === state.throttledAt) continue;
        await records(
          tx,
          this.postgres ? ADAPT_RATE_POSTGRES : ADAPT_RATE_SQLITE,
          adaptRateParams(next.effective, next.throttledAt, row.id),
        );
        changed.set(row.id, next);
      }
      return changed;
    });
  }

  /** Extends the lease of work this worker still has in flight. */
  async renew(workerId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const leaseExpiresAt = this.clock.iso(this.config.webhookLeaseMs);
    if (this.postgres) {
      // Skips rows another transaction holds (this worker recording their outcome, which ends the
      // lease anyway): waiting for them while they wait for ours was a deadlock that could lose a batch.
      await this.uow.run((tx) =>
        tx.manager.query(
          `UPDATE webhook_deliveries SET lease_expires_at = $1
           WHERE id IN (SELECT id FROM webhook_deliveries WHERE id = ANY($2::varchar[]) AND lease_owner = $3 FOR UPDATE SKIP LOCKED)`,
          [leaseExpiresAt, ids, workerId],
        ),
      );
      return;
    }
    await this.uow.run((tx) => tx.manager.update(DeliveryEntity, { id: In(ids), leaseOwner: workerId }, { leaseExpiresAt }));
  }

  /** Gives work back at once, e.g. on shutdown or, for a lone SQLite instance, at start. */
  async release(workerId: string | null, ids?: string[]): Promise<number> {
    return this.uow.run(async (tx) => {
      const result = await tx.manager.update(
        DeliveryEntity,
        {
          ...(workerId === null ? { leaseOwner: Not(IsNull()) } : { leaseOwner: workerId }),
          ...(ids ? { id: In(ids) } : {}),
        },
        { leaseOwner: null, leaseExpiresAt: null },
      );
      return result.affected ?? 0;
    });
  }

  /**
   * Records a batch of finished attempts atomically: the attempt log, the delivery's new state and
   * the endpoint's health, as the policy decides them (see delivery-policy.ts). Returns the
   * deliveries as they now stand. On PostgreSQL a batch of successes is one statement, and any
   * other batch that changes no endpoint's health one after reading the endpoints.
   */
  async complete(workerId: string, completed: CompletedAttempt[]): Promise<Delivery[]> {
    return (await this.completeWithBreakers(workerId, completed)).deliveries;
  }

  /**
   * `complete`, also returning the endpoints whose circuit breaker this batch changed (their new
   * `pausedUntil`; null once closed), so the dispatcher stops handing off or starting their work.
   */
  async completeWithBreakers(
    workerId: string,
    completed: CompletedAttempt[],
  ): Promise<{ deliveries: Delivery[]; breakers: Map<string, string | null> }> {
    const breakers = new Map<string, string | null>();
    if (completed.length === 0) return { deliveries: [], breakers };
    const endpointIds = [...new Set(completed.map(({ delivery }) => delivery.endpointId))];
    if (allSucceeded(completed)) {
      for (const id of endpointIds) breakers.set(id, null);
      return { deliveries: await this.completeSuccesses(workerId, completed, endpointIds), breakers };
    }
    const noted = (health: HealthChange[]) => {
      for (const change of health) if ('breaker' in change) breakers.set(change.id, change.breaker.pausedUntil);
    };
    if (this.postgres) {
      const { states, health } = decide(completed, await this.healthOf(this.dataSource.manager, endpointIds), this.policy);
      // A delivery that ends failed writes its delivery.exhausted in the same transaction: not this path.
      if (health.length === 0 && !states.some(exhausts))
        return {
          deliveries: this.recorded(
            states,
            await this.statement<{ id: string }>(RECORD_POSTGRES, recordParamsPostgres(completed, states, workerId)),
          ),
          breakers,
        };
    }
    const deliveries = await this.uow.run(async (tx) => {
      // Locked on PostgreSQL: the breaker counts failures from every instance, read and written here.
      const { states, health } = decide(completed, await this.healthOf(tx.manager, endpointIds, this.postgres), this.policy);
      let written: { id: string }[];
      if (this.postgres) {
        written = await records<{ id: string }>(tx, RECORD_POSTGRES, recordParamsPostgres(completed, states, workerId));
      } else {
        await tx.manager.query(INSERT_ATTEMPTS_SQLITE, insertAttemptsSqliteParams(completed));
        written = await records<{ id: string }>(tx, UPDATE_STATES_SQLITE, updateStatesSqliteParams(states, workerId));
      }
      for (const change of health) await this.applyHealth(tx, change);
      const recorded = this.recorded(states, written);
      for (const state of recorded.filter(exhausts)) {
        await this.operational(tx, 'delivery.exhausted', state.endpointId, {
          endpointId: state.endpointId,
          deliveryId: state.id,
          eventId: state.eventId,
          eventType: state.eventType,
          attempts: state.attemptCount,
        });
      }
      return { recorded, health };
    });
    noted(deliveries.health);
    return { deliveries: deliveries.recorded, breakers };
  }

  /**
   * The common batch, every attempt a success: its outcome does not depend on the endpoint's state
   * (the delivery has succeeded, any run of failures is over), so nothing needs reading first.
   */
  private async completeSuccesses(workerId: string, completed: CompletedAttempt[], endpointIds: string[]): Promise<Delivery[]> {
    const { states } = decide(completed, new Map(), this.policy);
    if (this.postgres) {
      return this.recorded(
        states,
        await this.statement<{ id: string }>(
          RECORD_SUCCESSES_POSTGRES,
          recordParamsPostgres(completed, states, workerId, endpointIds),
        ),
      );
    }
    return this.uow.run(async (tx) => {
      await tx.manager.query(INSERT_ATTEMPTS_SQLITE, insertAttemptsSqliteParams(completed));
      const written = await records<{ id: string }>(tx, UPDATE_STATES_SQLITE, updateStatesSqliteParams(states, workerId));
      await tx.manager.query(HEAL_ENDPOINTS_SQLITE, [JSON.stringify(endpointIds)]);
      return this.recorded(states, written);
    });
  }

  /** The states actually written: someone retried or took over a delivery meanwhile, and theirs stands. */
  private recorded(states: Delivery[], written: { id: string }[]): Delivery[] {
    const ids = new Set(written.map((row) => row.id));
    return states.filter((state) => ids.has(state.id));
  }

  /**
   * An endpoint was disabled: its pending deliveries fail now, so that re-enabling does not
   * resurrect old work unless someone recovers it on purpose. Attempts in flight keep their lease:
   * their outcome is still recorded, without a retry.
   */
  async failForDisabled(tx: Tx, endpointId: string): Promise<void> {
    await tx.manager
      .createQueryBuilder()
      .update(DeliveryEntity)
      .set({ status: 'failed', nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null })
      .where('endpoint_id = :id', { id: endpointId })
      .andWhere("status = 'pending'")
      .andWhere('(lease_expires_at IS NULL OR lease_expires_at < :now)', { now: this.clock.iso() })
      .execute();
  }

  /**
   * Disables an endpoint (by its owner, its key's revocation, 410 Gone or a long failing streak):
   * it gets no new deliveries, and its pending ones fail (failForDisabled).
   */
  async disableEndpoint(tx: Tx, endpointId: string, reason: string): Promise<void> {
    await tx.manager.update(
      EndpointEntity,
      { id: endpointId },
      { enabled: false, disabledReason: reason, updatedAt: this.clock.iso() },
    );
    await this.failForDisabled(tx, endpointId);
    // Its own pending deliveries just failed by this disable: they are reported by this one event,
    // not one delivery.exhausted each. The endpoint itself is disabled now, so it is not among the receivers.
    await this.operational(tx, 'endpoint.disabled', endpointId, { endpointId, reason });
    tx.afterCommit(() => {
      this.signals.emit(ENDPOINTS_CHANGED, undefined);
    });
  }

  /**
   * An operational event about `subjectEndpointId`: a delivery, with its body, to each enabled
   * endpoint of the same key that lists the type (see sql/operational.ts), in the caller's transaction.
   */
  private async operational<K extends OperationalEventType>(
    tx: Tx,
    type: K,
    subjectEndpointId: string,
    data: OperationalEvents[K],
  ): Promise<void> {
    const runner = tx.manager.queryRunner;
    if (!runner) throw new Error("an operational event needs the transaction's query runner");
    const now = this.clock.iso();
    const event = { id: newId('evt'), type, payload: webhookBody(type, now, JSON.stringify(data)) };
    const result = await runner.query(
      this.postgres ? OPERATIONAL_POSTGRES : OPERATIONAL_SQLITE,
      operationalParams(this.postgres, newIdRange('dlv'), event, now, subjectEndpointId),
      true,
    );
    if ((result.affected ?? 0) > 0) this.due(tx);
  }

  /** A manual retry: due now whatever its state, with a fresh retry schedule. The caller checked it is not in flight. */
  async retryOne(tx: Tx, delivery: Delivery): Promise<Delivery> {
    const requeued = this.requeued();
    await tx.manager.update(DeliveryEntity, { id: delivery.id }, requeued);
    this.due(tx);
    return { ...delivery, ...requeued };
  }

  /** Re-queues an endpoint's failed deliveries created since `since`; returns how many. */
  async recover(tx: Tx, endpointId: string, since: string): Promise<number> {
    const result = await tx.manager.update(
      DeliveryEntity,
      { endpointId, status: 'failed', createdAt: MoreThanOrEqual(new Date(since).toISOString()) },
      this.requeued(),
    );
    this.due(tx);
    return result.affected ?? 0;
  }

  /**
   * A replay: a new delivery to this endpoint of every feed event of these types in the window,
   * each with its event's id (so its original webhook-id). Counted first, no further than one past
   * the bound: more than REPLAY_MAX_EVENTS is refused (409) before anything is written.
   */
  async replay(tx: Tx, endpointId: string, window: { since: string; until: string }, types: readonly string[]): Promise<number> {
    if (types.length === 0) return 0;
    const [{ n }] = await records<{ n: number | string }>(
      tx,
      this.postgres ? REPLAY_COUNT_POSTGRES : REPLAY_COUNT_SQLITE,
      replayCountParams(this.postgres, window, types, REPLAY_MAX_EVENTS + 1),
    );
    if (Number(n) > REPLAY_MAX_EVENTS) {
      throw new ConflictError(
        `More than ${REPLAY_MAX_EVENTS} events match this replay; split the window (since/until) into smaller ones`,
      );
    }
    if (Number(n) === 0) return 0;
    const runner = tx.manager.queryRunner;
    if (!runner) throw new Error("a replay needs the transaction's query runner");
    const result = await runner.query(
      this.postgres ? REPLAY_POSTGRES : REPLAY_SQLITE,
      replayParams(this.postgres, newIdRange('dlv'), endpointId, this.clock.iso(), window, types, REPLAY_MAX_EVENTS),
      true,
    );
    const count = result.affected ?? 0;
    if (count > 0) this.due(tx);
    return count;
  }

  private requeued(): Pick<Delivery, 'status' | 'retryStep' | 'nextAttemptAt' | 'leaseOwner' | 'leaseExpiresAt'> {
    return { status: 'pending', retryStep: 0, nextAttemptAt: this.clock.iso(), leaseOwner: null, leaseExpiresAt: null };
  }

  /**
   * Deliveries are due: dispatchers wake once this transaction commits, this instance's through
   * DELIVERIES_DUE, the others through NOTIFY on PostgreSQL (sent after the commit, see PgListener).
   */
  private due(tx: Tx): void {
    tx.notifyAfterCommit(DELIVERIES_CHANNEL);
    tx.afterCommit(() => {
      this.signals.emit(DELIVERIES_DUE, undefined);
    });
  }

  /**
   * One statement outside any transaction (it commits on its own), returning its rows: the
   * query runner's structured result, since a bare query() answers an UPDATE with [rows, count].
   */
  private async statement<T>(sql: string, params: unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, params, true);
      return result.records as T[];
    } finally {
      await runner.release();
    }
  }

  private async healthOf(manager: EntityManager, ids: string[], lock = false): Promise<Map<string, EndpointHealth>> {
    const rows = await manager.find(EndpointEntity, {
      select: { id: true, enabled: true, failingSince: true, consecutiveFailures: true, breakerOpens: true, pausedUntil: true },
      where: { id: In(ids) },
      // In id order, so two instances locking the same endpoints cannot deadlock.
      order: { id: 'ASC' },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return new Map(
      rows.map((e) => [
        e.id,
        {
          id: e.id,
          enabled: e.enabled,
          failingSince: e.failingSince,
          consecutiveFailures: e.consecutiveFailures,
          breakerOpens: e.breakerOpens,
          pausedUntil: e.pausedUntil,
        },
      ]),
    );
  }

  private async applyHealth(tx: Tx, change: HealthChange): Promise<void> {
    if ('disable' in change) await this.disableEndpoint(tx, change.id, change.disable);
    else await tx.manager.update(EndpointEntity, { id: change.id }, { failingSince: change.failingSince, ...change.breaker });
  }

  /** Retention: deletes up to `limit` attempts older than `cutoff`; the number deleted. */
  async purgeAttempts(tx: Tx, cutoff: string, limit: number): Promise<number> {
    return this.affected(tx, this.postgres ? PURGE_ATTEMPTS_POSTGRES : PURGE_ATTEMPTS_SQLITE, purgeAttemptsParams(cutoff, limit));
  }

  /** Retention: deletes up to `limit` finished deliveries older than `cutoff` (see sql/purge-deliveries.ts). */
  async purgeFinished(tx: Tx, cutoff: string, limit: number): Promise<number> {
    return this.affected(
      tx,
      this.postgres ? PURGE_DELIVERIES_POSTGRES : PURGE_DELIVERIES_SQLITE,
      purgeDeliveriesParams(this.postgres, cutoff, limit),
    );
  }

  private async affected(tx: Tx, sql: string, params: unknown[]): Promise<number> {
    const runner = tx.manager.queryRunner;
    if (!runner) throw new Error("a raw statement needs the transaction's query runner");
    const result = await runner.query(sql, params, true);
    return result.affected ?? 0;
  }
}
