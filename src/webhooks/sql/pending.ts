/**
 * How many deliveries are still pending (due now or waiting for a retry), for the
 * `maitred_webhook_pending_deliveries` gauge at scrape time. Both dialects: a count over the
 * leading `status` column of the due index, so it reads the index range of pending rows only.
 */
export const COUNT_PENDING = `SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'`;
