/**
 * What logs must never carry (keys, guest tokens, Idempotency-Key values, secrets, SQL parameters,
 * contact details), enforced where pino serializes, so no call site has to remember it.
 */

/** Request headers replaced by `[Redacted]` in every request log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-guest-token"]',
  'req.headers["idempotency-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Fields of TypeORM's QueryFailedError and of PostgreSQL/SQLite driver errors that quote SQL or
 * the values bound to it: `query`/`parameters` (TypeORM), `detail` (`Key (email)=(…) already
 * exists`), `where` (`unnamed portal parameter $3 = '…'`), `internalQuery`.
 */
const SQL_FIELDS = ['query', 'parameters', 'detail', 'where', 'internalQuery'];

/** pino's `err` serializer hook: receives pino's serialized error and drops what quotes SQL. */
export function withoutSqlDetails(serialized: unknown, depth = 0): unknown {
  if (typeof serialized !== 'object' || serialized === null || depth > 8) return serialized;
  const copy: Record<string, unknown> = { ...(serialized as Record<string, unknown>) };
  for (const field of SQL_FIELDS) Reflect.deleteProperty(copy, field);
  for (const nested of ['driverError', 'cause']) {
    if (nested in copy) copy[nested] = withoutSqlDetails(copy[nested], depth + 1);
  }
  if (Array.isArray(copy.errors)) copy.errors = copy.errors.map((item: unknown) => withoutSqlDetails(item, depth + 1));
  return copy;
}
