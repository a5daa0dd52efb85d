import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** A running unit of work: its entity manager and the callbacks that run once it has committed. */
export class Tx {
  private readonly afterCommitCallbacks: (() => void)[] = [];
  /** Named locks this transaction already holds (taken at most once each). */
  readonly heldLocks = new Set<string>();

  constructor(readonly manager: EntityManager) {}

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
  private readonly logger = new Logger('UnitOfWork');

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.serialize = !config.isPostgres;
  }

  /** Runs `work` in one transaction; after-commit callbacks fire only when it committed. */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let committed: Tx | undefined;
    const result = await this.exclusive(() =>
      this.dataSource.transaction(async (manager) => {
        const tx = new Tx(manager);
        const value = await work(tx);
        committed = tx;
        return value;
      }),
    );
    // The transaction has committed whatever a callback does: its failure is logged, not thrown at the caller.
    committed?.runAfterCommit((error) => {
      this.logger.error({ err: error }, 'after-commit callback failed');
    });
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
