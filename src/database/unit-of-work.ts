import { Injectable, Logger } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PgListener } from './pg-listener';

/** A running unit of work: its entity manager and the callbacks that run once it has committed. */
export class Tx {
  private readonly afterCommitCallbacks: (() => void)[] = [];
  /** Named locks this transaction already holds (taken at most once each). */
  readonly heldLocks = new Set<string>();
  /** Topics to notify other instances of once this transaction has committed (PostgreSQL). */
  readonly notifyTopics = new Set<string>();

  constructor(
    readonly manager: EntityManager,
    /** Whether this transaction runs on PostgreSQL (locks and NOTIFY exist only there). */
    readonly postgres: boolean,
  ) {}

  /** Other instances hear of `topic` after this transaction commits (once however often it is called). */
  notifyAfterCommit(topic: string): void {
    this.notifyTopics.add(topic);
  }

  /** Runs `callback` after the transaction commits; never when it rolls back. */
  afterCommit(callback: () => void): void {
    this.afterCommitCallbacks.push(callback);
  }

  /** @internal called by UnitOfWork once the commit has succeeded. */
  runAfterCommit(onError: (error: unknown) => void): void {
    for (const callback of this.afterCommitCallbacks) {
      try {
        callback();
      } catch (error) {
        onError(error);
      }
    }
  }
}

/** A unit of work or a read waiting for its turn on SQLite's one connection. */
type Queued = { resolve: (value: unknown) => void; reject: (error: unknown) => void } & (
  { kind: 'run'; work: (tx: Tx) => Promise<unknown> } | { kind: 'read'; work: (manager: EntityManager) => Promise<unknown> }
);

/**
 * At most this many units share one commit: enough to fold a burst into a few commits, few enough
 * that the first unit of a group does not wait long behind the others for its commit.
 */
const GROUP_MAX = 64;

/**
 * The one way to change state. On SQLite, TypeORM's better-sqlite3 driver shares a single
 * QueryRunner, so two concurrent transactions would silently nest as savepoints and one's
 * rollback could undo the other's commit: units of work wait in one queue. Every unit waiting
 * when the connection frees up runs in the same transaction, one after another, each inside its
 * own savepoint (group commit): a unit that throws rolls back to its savepoint, so it leaves
 * nothing and gets its own error while the others commit; one COMMIT (the costly statement)
 * serves them all, and after-commit callbacks run only once it has succeeded.
 * Reads that must not observe another unit's uncommitted rows go through `read` for the same
 * reason; they run between groups.
 * On PostgreSQL each unit of work is an ordinary transaction on its own pooled connection.
 */
@Injectable()
export class UnitOfWork {
  private readonly pending: Queued[] = [];
  private draining = false;
  private readonly serialize: boolean;
  private readonly logger = new Logger('UnitOfWork');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly listener: PgListener,
  ) {
    this.serialize = !config.isPostgres;
  }

  /** The transaction has committed whatever a callback does: its failure is logged, not thrown at the caller. */
  private readonly afterCommitFailed = (error: unknown): void => {
    this.logger.error({ err: error }, 'after-commit callback failed');
  };

  /** Runs `work` in one transaction; after-commit callbacks fire only when it committed. */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.serialize) return this.enqueue('run', work);
    let committed: Tx | undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      const tx = new Tx(manager, true);
      const value = await work(tx);
      committed = tx;
      return value;
    });
    if (committed && committed.notifyTopics.size > 0) this.listener.publish(committed.notifyTopics);
    committed?.runAfterCommit(this.afterCommitFailed);
    return result;
  }

  /** Runs a read that must see only committed state. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return work(this.dataSource.manager);
    return this.enqueue('read', work);
  }

  private enqueue<T>(kind: 'run', work: (tx: Tx) => Promise<T>): Promise<T>;
  private enqueue<T>(kind: 'read', work: (manager: EntityManager) => Promise<T>): Promise<T>;
  private enqueue<T>(
    kind: Queued['kind'],
    work: ((tx: Tx) => Promise<T>) & ((manager: EntityManager) => Promise<T>),
  ): Promise<T> {
    // The queue is drained by whichever caller started it; bound, each unit runs in its own
    // caller's async context (what it reads from AsyncLocalStorage, e.g. the request's trace).
    const bound = AsyncResource.bind(work);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ kind, work: bound, resolve: resolve as (value: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // From a microtask, so that units queued in the same turn already share the first group.
      queueMicrotask(() => void this.drain());
    });
  }

  /** Runs what is queued, in order: each read alone, each stretch of units of work as one group. */
  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const first = this.pending[0];
        if (first.kind === 'read') {
          this.pending.shift();
          try {
            first.resolve(await first.work(this.dataSource.manager));
          } catch (error) {
            first.reject(error);
          }
          continue;
        }
        let count = 0;
        while (count < this.pending.length && count < GROUP_MAX && this.pending[count].kind === 'run') count += 1;
        await this.runGroup(this.pending.splice(0, count));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runGroup(group: Queued[]): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    const outcomes: ({ ok: true; tx: Tx; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      try {
        await runner.startTransaction();
        for (const unit of group as Extract<Queued, { kind: 'run' }>[]) {
          const tx = new Tx(runner.manager, false);
          await runner.startTransaction();
          try {
            const value = await unit.work(tx);
            await runner.commitTransaction();
            outcomes.push({ ok: true, tx, value });
          } catch (error) {
            await runner.rollbackTransaction();
            outcomes.push({ ok: false, error });
          }
        }
        await runner.commitTransaction();
      } catch (error) {
        // The group itself failed (a savepoint or the COMMIT): nothing of it is kept.
        let failure = error;
        try {
          await this.rollbackAll(runner);
        } catch (rollbackError) {
          failure = new AggregateError([error, rollbackError], 'a group of units of work failed and could not be rolled back');
        }
        for (const unit of group) unit.reject(failure);
        return;
      }
    } finally {
      await runner.release();
    }
    group.forEach((unit, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) {
        outcome.tx.runAfterCommit(this.afterCommitFailed);
        unit.resolve(outcome.value);
      } else {
        unit.reject(outcome.error);
      }
    });
  }

  private async rollbackAll(runner: QueryRunner): Promise<void> {
    while (runner.isTransactionActive) await runner.rollbackTransaction();
  }
}
