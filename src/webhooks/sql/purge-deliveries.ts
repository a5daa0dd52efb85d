/**
 * Retention: one batch of finished deliveries (succeeded or failed) created and last delivered
 * before the cutoff (params: cutoff, batch size). Never a pending one: pending covers deliveries
 * waiting for a retry and those leased in flight, so a delivery still owed is never lost. Their
 * remaining attempts go with them (ON DELETE CASCADE).
 */
const purgeDeliveries = (postgres: boolean) => {
  const [cutoff, cutoffAgain, limit] = postgres ? ['$1', '$1', '$2'] : ['?', '?', '?'];
  return `
  DELETE FROM webhook_deliveries WHERE id IN (
    SELECT id FROM webhook_deliveries
    WHERE created_at < ${cutoff} AND status <> 'pending' AND (delivered_at IS NULL OR delivered_at < ${cutoffAgain})
    ORDER BY created_at
    LIMIT ${limit}
  )`;
};

export const PURGE_DELIVERIES_POSTGRES = purgeDeliveries(true);
export const PURGE_DELIVERIES_SQLITE = purgeDeliveries(false);

export function purgeDeliveriesParams(postgres: boolean, cutoff: string, limit: number): unknown[] {
  return postgres ? [cutoff, limit] : [cutoff, cutoff, limit];
}
