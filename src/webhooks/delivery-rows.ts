/**
 * The outbox's rows as the database returns them, turned into deliveries and the exact bytes to
 * send. No decisions here: see delivery-policy.ts and the transitions in delivery-transitions.ts.
 */
import type { Tx } from '../database/unit-of-work';
import type { Delivery } from './delivery.entity';

/**
 * The one place a webhook body is built: `{ type, timestamp, data }` with `data` spliced in as
 * stored JSON, so the bytes sent (and signed) are the bytes recorded with the event.
 */
export function webhookBody(type: string, timestamp: string, data: string): string {
  return `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(timestamp)},"data":${data}}`;
}

/** A claimed delivery with the exact bytes to send. */
export interface ClaimedDelivery {
  delivery: Delivery;
  body: string;
  /** The traceparent stored with its event (null outside a traced request, and for test events). */
  traceContext: string | null;
  /** The single attempt a paused endpoint's circuit breaker lets through (see circuit-breaker.ts). */
  probe?: boolean;
}

/** A webhook_deliveries row as the database returns it. */
export interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  event_type: string;
  status: Delivery['status'];
  attempt_count: number | string;
  retry_step: number | string;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_status_code: number | string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  payload: string | null;
  ordering_key: string | null;
  ordering_seq: number | string | null;
}

export interface EventRow {
  id: string;
  type: string;
  timestamp: string;
  data: string;
  trace_context: string | null;
}

export function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    eventType: row.event_type,
    status: row.status,
    attemptCount: Number(row.attempt_count),
    retryStep: Number(row.retry_step),
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    payload: row.payload,
    orderingKey: row.ordering_key,
    orderingSeq: row.ordering_seq === null ? null : Number(row.ordering_seq),
  };
}

/** A claimed delivery row with its event's columns (PostgreSQL claims both in one statement). */
export interface ClaimedRow extends DeliveryRow {
  e_type?: string | null;
  e_timestamp?: string | null;
  e_data?: string | null;
  e_trace_context?: string | null;
}

/** The delivery and the exact body to send: `{ type, timestamp, data }` with `data` spliced in as stored. */
export function claimedFromRow(row: ClaimedRow, event?: EventRow): ClaimedDelivery {
  const delivery = deliveryFromRow(row);
  if (delivery.payload !== null) return { delivery, body: delivery.payload, traceContext: null };
  const type = event?.type ?? row.e_type;
  const timestamp = event?.timestamp ?? row.e_timestamp;
  const data = event?.data ?? row.e_data;
  // An outbox row always has its event: they are written in one transaction.
  if (type == null || timestamp == null || data == null)
    throw new Error(`delivery ${delivery.id} has no event ${delivery.eventId}`);
  return {
    delivery,
    body: webhookBody(type, timestamp, data),
    traceContext: event?.trace_context ?? row.e_trace_context ?? null,
  };
}

/** The rows a raw statement returned (including an UPDATE's RETURNING), on either dialect. */
export async function records<T>(tx: Tx, sql: string, params: unknown[]): Promise<T[]> {
  const runner = tx.manager.queryRunner;
  if (!runner) throw new Error("a raw statement needs the transaction's query runner");
  const result = await runner.query(sql, params, true);
  return result.records as T[];
}
