/**
 * Retention: one batch of attempts older than the cutoff (params: cutoff, batch size), oldest
 * first. Attempts are history only; a pending delivery keeps its own counters on its row.
 */
const purgeAttempts = (cutoff: string, limit: string) => `
  DELETE FROM webhook_attempts WHERE seq IN (
    SELECT seq FROM webhook_attempts WHERE at < ${cutoff} ORDER BY at LIMIT ${limit}
  )`;

export const PURGE_ATTEMPTS_POSTGRES = purgeAttempts('$1', '$2');
export const PURGE_ATTEMPTS_SQLITE = purgeAttempts('?', '?');

export function purgeAttemptsParams(cutoff: string, limit: number): unknown[] {
  return [cutoff, limit];
}
