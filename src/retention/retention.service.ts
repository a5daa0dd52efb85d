import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { tryAdvisoryLock } from '../database/locks';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { RETENTION_BATCH, SignalBus } from '../events/signals';
import { ErasureService } from '../guests/erasure.service';
import { DeliveryLifecycle } from '../webhooks/delivery-transitions';
import { BATCH_SIZING, type BatchSizing, nextBatchSize } from './batch-size';
import type { RetentionStage } from './retention-batch';
import { PURGE_EVENTS_POSTGRES, PURGE_EVENTS_SQLITE } from './sql/purge-events';
import { PURGE_IDEMPOTENCY_POSTGRES, PURGE_IDEMPOTENCY_SQLITE } from './sql/purge-idempotency';

/**
 * Rows per batch, each batch its own short transaction, sized as it goes (batch-size.ts) so that
 * one batch holds the write path (SQLite's one writer, PostgreSQL's row locks) for ~20 ms.
 */
// At least 50: below that a batch's fixed cost (its own transaction, the lock, the commit) dominates, and shrinking
// further only makes the purge slower without making a batch shorter.
const ROW_SIZING: BatchSizing = { ...BATCH_SIZING, min: 50, max: 500 };
const FIRST_ROW_BATCH = 100;
/** Guests per erasure batch: each erasure rewrites the guest's events and writes guest.erased. */
const GUEST_SIZING: BatchSizing = { ...BATCH_SIZING, min: 1, max: 20 };
const FIRST_GUEST_BATCH = 5;

export interface RetentionReport {
  cutoff: string;
  /** False when another instance held the purge (PostgreSQL) and this pass did nothing. */
  ran: boolean;
  deleted: Record<RetentionStage, number>;
  batches: number;
  /** The longest single batch, from the start of its transaction's work to its commit, in ms. */
  longestBatchMs: number;
  /** The same per stage. */
  longestBatchMsByStage: Record<RetentionStage, number>;
}

/**
 * Retention (README, "Erasure and retention"): everything older than RETENTION goes, in order:
 * attempts, finished deliveries, events no delivery refers to (so never an event a pending
 * delivery still sends), idempotency records, and then left guests are erased. Small batches,
 * one short transaction each, with a turn for other work in between. On PostgreSQL each batch
 * first tries the retention lock: while another instance purges, this one skips its pass.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport> | undefined;
  private stopping = false;
  /** The longest batch since start (ms): the figure to compare with the 50 ms budget. */
  longestBatchMs = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly deliveries: DeliveryLifecycle,
    private readonly erasure: ErasureService,
    private readonly signals: SignalBus,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.purge()
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'retention pass failed; the next one tries again');
        })
        .finally(() => {
          this.schedule();
        });
    }, this.config.retentionIntervalMs);
    this.timer.unref();
  }

  /** One pass (a pass already running is joined, not doubled). */
  purge(): Promise<RetentionReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<RetentionReport> {
    const cutoff = this.clock.iso(-this.config.retentionMs);
    const report: RetentionReport = {
      cutoff,
      ran: true,
      deleted: { attempts: 0, deliveries: 0, events: 0, idempotency: 0, guests: 0 },
      batches: 0,
      longestBatchMs: 0,
      longestBatchMsByStage: { attempts: 0, deliveries: 0, events: 0, idempotency: 0, guests: 0 },
    };
    const postgres = this.config.isPostgres;
    const rows = { first: FIRST_ROW_BATCH, sizing: ROW_SIZING };
    const stages: {
      stage: RetentionStage;
      first: number;
      sizing: BatchSizing;
      run: (tx: Tx, limit: number) => Promise<number>;
    }[] = [
      { stage: 'attempts', ...rows, run: (tx, limit) => this.deliveries.purgeAttempts(tx, cutoff, limit) },
      { stage: 'deliveries', ...rows, run: (tx, limit) => this.deliveries.purgeFinished(tx, cutoff, limit) },
      {
        stage: 'events',
        ...rows,
        run: (tx, limit) => affected(tx, postgres ? PURGE_EVENTS_POSTGRES : PURGE_EVENTS_SQLITE, [cutoff, limit]),
      },
      {
        stage: 'idempotency',
        ...rows,
        run: (tx, limit) => affected(tx, postgres ? PURGE_IDEMPOTENCY_POSTGRES : PURGE_IDEMPOTENCY_SQLITE, [cutoff, limit]),
      },
      {
        stage: 'guests',
        first: FIRST_GUEST_BATCH,
        sizing: GUEST_SIZING,
        run: (tx, limit) => this.erasure.eraseLeftBefore(tx, cutoff, limit),
      },
    ];
    for (const { stage, first, sizing, run } of stages) {
      let limit = first;
      for (;;) {
        if (this.stopping) return report;
        const started = { at: 0 };
        const count = await this.uow.run(async (tx) => {
          started.at = performance.now();
          if (!(await tryAdvisoryLock(tx, 'retention'))) return null;
          return run(tx, limit);
        });
        if (count === null) {
          report.ran = false;
          return report;
        }
        const ms = performance.now() - started.at;
        report.batches += 1;
        report.longestBatchMs = Math.max(report.longestBatchMs, ms);
        report.longestBatchMsByStage[stage] = Math.max(report.longestBatchMsByStage[stage], ms);
        this.longestBatchMs = Math.max(this.longestBatchMs, ms);
        report.deleted[stage] += count;
        this.signals.emit(RETENTION_BATCH, { stage, rows: count, ms });
        if (count < limit) break;
        limit = nextBatchSize(limit, ms, sizing);
        // A turn for the requests queued behind this batch before the next one.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    const total = Object.values(report.deleted).reduce((sum, n) => sum + n, 0);
    // Erased guests' old page images leave the WAL now; plain deletions wait for SQLite's own
    // checkpoints (a TRUNCATE checkpoint of a large log would hold the write path for seconds).
    if (report.deleted.guests > 0) await this.erasure.flushSqlite();
    if (total > 0) {
      this.logger.log(
        { deleted: report.deleted, batches: report.batches, longestBatchMs: Math.round(report.longestBatchMs * 10) / 10 },
        'retention pass',
      );
    } else {
      this.logger.debug({ longestBatchMs: report.longestBatchMs }, 'retention pass: nothing older than RETENTION');
    }
    return report;
  }
}

async function affected(tx: Tx, sql: string, params: unknown[]): Promise<number> {
  const runner = tx.manager.queryRunner;
  if (!runner) throw new Error("a raw statement needs the transaction's query runner");
  const result = await runner.query(sql, params, true);
  return result.affected ?? 0;
}
