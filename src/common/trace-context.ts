import { createHash, randomBytes } from 'node:crypto';

/**
 * W3C Trace Context (`traceparent: 00-<trace id>-<parent span id>-<flags>`), parsed and written
 * without the OpenTelemetry SDK: webhooks carry a traceparent even when no trace is exported.
 */
export interface TraceParent {
  traceId: string;
  spanId: string;
  /** Two hex digits; `01` means sampled. */
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/** A header's trace context, or null when it is not a valid one (the spec says: then ignore it). */
export function parseTraceparent(header: string | undefined): TraceParent | null {
  if (header === undefined) return null;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return null;
  const [, version, traceId, spanId, flags] = match;
  const rest = match.at(5);
  // Version ff is forbidden; version 00 has nothing after the flags (later versions may).
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return null;
  return { traceId, spanId, flags };
}

export function formatTraceparent(context: TraceParent): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/** A fresh span id: 8 random bytes, never all zero. */
export function newSpanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (!ALL_ZERO.test(id)) return id;
  }
}

/**
 * The trace id of an event recorded outside any traced request: derived from the event id, so
 * every attempt of its deliveries (on any instance, at any time) lands in one trace without
 * storing anything at record time.
 */
export function traceIdForEvent(eventId: string): string {
  return createHash('sha256').update(`maitred-trace:${eventId}`).digest('hex').slice(0, 32);
}

/**
 * The traceparent one webhook attempt sends when no tracer makes its span: the trace of the
 * event's stored context (or the event's own), a new span id, sampled.
 */
export function attemptTraceparent(stored: string | null, eventId: string): string {
  const parent = parseTraceparent(stored ?? undefined);
  return formatTraceparent({ traceId: parent?.traceId ?? traceIdForEvent(eventId), spanId: newSpanId(), flags: '01' });
}
