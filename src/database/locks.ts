import { Tx } from './unit-of-work';

/**
 * Transaction-scoped advisory locks on PostgreSQL (SQLite's units of work already run one at a
 * time, so there they are no-ops). Each kind has its own key space (`classid`); an entity lock's
 * `objid` is a hash of the id, so a collision only makes two unrelated changes take turns.
 *
 * Why advisory locks rather than `SELECT … FOR UPDATE` for guests and tables: the events feed on
 * PostgreSQL is ordered by the writing transaction's id (see EventsService.feed), and PostgreSQL
 * assigns that id at a transaction's first write, which `FOR UPDATE` is, even while it still waits
 * for the row. Two changes of one guest could then get their ids in the opposite order to the one
 * they ran in. An advisory lock assigns no id, so a unit of work that takes all its locks before
 * its first write gets an id after everyone it waited for, and the feed shows changes of one guest
 * or table in the order they happened. Hence the rule: lock first, then write.
 */
export const LOCK_KINDS = {
  /** Check-ins take turns, so a place in line, once told, only ever improves (no other change takes it). */
  checkIn: 727_274_010,
  guest: 727_274_011,
  table: 727_274_012,
  /** One inbound payment (by its payment id), so two deliveries of it cannot both be recorded. */
  payment: 727_274_013,
  /** The retention purge: one instance at a time (tryAdvisoryLock), the others skip their pass. */
  retention: 727_274_014,
} as const;

export type LockKind = keyof typeof LOCK_KINDS;

/** Takes the lock (once per transaction) until the transaction ends; `id` names the entity, if any. */
export async function advisoryLock(tx: Tx, kind: LockKind, id = ''): Promise<void> {
  const name = `${kind}:${id}`;
  if (!tx.postgres || tx.heldLocks.has(name)) return;
  await tx.manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_KINDS[kind], id]);
  tx.heldLocks.add(name);
}

/**
 * Takes the lock until the transaction ends if nobody holds it; false when another transaction
 * does (PostgreSQL). On SQLite there is one instance and units of work run one at a time: true.
 */
export async function tryAdvisoryLock(tx: Tx, kind: LockKind, id = ''): Promise<boolean> {
  const name = `${kind}:${id}`;
  if (!tx.postgres || tx.heldLocks.has(name)) return true;
  const rows = await tx.manager.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [
    LOCK_KINDS[kind],
    id,
  ]);
  const locked = rows.at(0)?.locked === true;
  if (locked) tx.heldLocks.add(name);
  return locked;
}
