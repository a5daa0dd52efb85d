/** Retention: one batch of stored idempotent responses older than the cutoff (params: cutoff, batch size). */
const purgeIdempotency = (cutoff: string, limit: string) => `
  DELETE FROM idempotency_records WHERE seq IN (
    SELECT seq FROM idempotency_records WHERE created_at < ${cutoff} ORDER BY created_at LIMIT ${limit}
  )`;

export const PURGE_IDEMPOTENCY_POSTGRES = purgeIdempotency('$1', '$2');
export const PURGE_IDEMPOTENCY_SQLITE = purgeIdempotency('?', '?');
