import { EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { Tx } from './unit-of-work';

/**
 * One row read to be changed in the caller's transaction. On PostgreSQL it is locked
 * (`SELECT … FOR UPDATE`) until the transaction ends, so concurrent changes to the same row
 * queue instead of overwriting each other; SQLite needs no lock because UnitOfWork already
 * runs one writer at a time. Null when no row matches.
 */
export function findForUpdate<T extends ObjectLiteral>(
  tx: Tx,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  isPostgres: boolean,
): Promise<T | null> {
  return tx.manager.findOne(entity, { where, ...(isPostgres ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
}
