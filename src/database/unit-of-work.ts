import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PgListener } from './pg-listener';

/** A running unit of work: its entity manager and the callbacks that run once it has committed. */
export class Tx {
  private readonly afterCommitCallbacks: Array<() => void> = [];
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

/**
 * The one way to change state. On SQLite, TypeORM's better-sqlite3 driver shares a single
 * QueryRunner, so two concurrent transactions would silently nest as savepoints and one's
 * rollback could undo the other's commit: every unit of work is queued and runs alone.
 * Reads that must not observe another unit's uncommitted rows go through `read` for the same reason.
 * On PostgreSQL each unit of work is an ordinary transaction on its own pooled connection.
 */
@Injectable()
export class UnitOfWork {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serialize: boolean;
  private afterCommitErrorHandler: (error: unknown) => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly listener: PgListener,
  ) {
    this.serialize = !config.isPostgres;
  }

  onAfterCommitError(handler: (error: unknown) => void): void {
    this.afterCommitErrorHandler = handler;
  }

  /** Runs `work` in one transaction; after-commit callbacks fire only when it committed. */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let committed: Tx | undefined;
    const result = await this.exclusive(() =>
      this.dataSource.transaction(async (manager) => {
        const tx = new Tx(manager, this.config.isPostgres);
        const value = await work(tx);
        committed = tx;
        return value;
      }),
    );
    if (committed && committed.notifyTopics.size > 0) this.listener.publish(committed.notifyTopics);
    committed?.runAfterCommit(this.afterCommitErrorHandler);
    return result;
  }

  /** Runs a read that must see only committed state. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => work(this.dataSource.manager));
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (!this.serialize) return task();
    const next = this.queue.then(task, task);
    // Keep the chain alive whatever this task's outcome; callers see their own result.
    this.queue = next.catch(() => undefined);
    return next;
  }
}
