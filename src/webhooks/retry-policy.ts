/**
 * Pure rules of webhook retries: when to try again and how to name what went wrong. The names are
 * the documented `attempts[].error` values (AttemptResponse in /api/docs).
 */
import { BLOCKED_ADDRESS_CODE } from './ssrf/address-policy';

/** After the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

const JITTER = 0.2;
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * The wait before the next attempt, with uniform ±20 % jitter so endpoints that failed together
 * do not all come back together; null when the schedule is exhausted.
 * @param step failed attempts so far in this round, minus one (0 right after the first failure)
 */
export function nextRetryDelayMs(step: number, scheduleMs: readonly number[], random: () => number = Math.random): number | null {
  if (!Number.isInteger(step) || step < 0 || step >= scheduleMs.length) return null;
  const factor = 1 - JITTER + 2 * JITTER * random();
  return Math.round(scheduleMs[step] * factor);
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
// The three HTTP-date forms of RFC 9110 §5.6.7; anything else Date.parse would guess at is refused.
const IMF_FIXDATE = new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} (?: \\d|\\d{2}) ${TIME} \\d{4}$`);

function parseHttpDate(value: string): number | null {
  let normalised: string;
  if (IMF_FIXDATE.test(value) || RFC850_DATE.test(value)) normalised = value;
  // asctime carries no zone but means GMT; without the suffix Date.parse would use local time.
  else if (ASCTIME_DATE.test(value)) normalised = `${value} GMT`;
  else return null;
  const time = Date.parse(normalised);
  return Number.isNaN(time) ? null : time;
}

/**
 * `Retry-After` as milliseconds from `now` (delta-seconds or an HTTP-date; a past date is 0),
 * capped at 24 h so a hostile endpoint cannot park a delivery forever; null when absent or invalid.
 */
export function parseRetryAfter(header: string | undefined, now: Date): number | null {
  if (header === undefined) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  const time = parseHttpDate(value);
  if (time === null) return null;
  return Math.min(Math.max(time - now.getTime(), 0), MAX_RETRY_AFTER_MS);
}

export type FailureKind = 'timeout' | 'connection_refused' | 'dns' | 'tls' | 'blocked_address' | 'redirect' | `http_${number}`;

/** Whether an HTTP status is a delivery's success: the one place the 2xx rule is written. */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The failure an HTTP status stands for, or null for a 2xx success. */
export function classifyStatus(status: number): FailureKind | null {
  if (isSuccessStatus(status)) return null;
  if (status >= 300 && status < 400) return 'redirect';
  return `http_${status}`;
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // The sender aborts an attempt only when its deadline passes, so an abort is a timeout.
  'ABORT_ERR',
  'UND_ERR_ABORTED',
]);
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError', 'ConnectTimeoutError', 'HeadersTimeoutError', 'BodyTimeoutError']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA', 'ESERVFAIL']);
const TLS_CODE = new RegExp(
  '^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|' +
    'HOSTNAME_MISMATCH$|EPROTO$)',
);

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error and everything it wraps: `cause` chains (fetch, undici) and AggregateError members (happy eyeballs). */
function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  const pending: unknown[] = [error];
  const seen = new Set<unknown>();
  while (pending.length > 0 && chain.length < 32) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const item = current as ErrorLike;
    chain.push(item);
    if (item.cause !== undefined) pending.push(item.cause);
    if (Array.isArray(item.errors)) pending.push(...(item.errors as unknown[]));
  }
  return chain;
}

/**
 * The failure a thrown request error stands for. Specific causes win over generic wrappers
 * (a blocked address or a DNS failure inside a "fetch failed" or a socket error). Anything
 * unrecognised is a broken connection, the closest of the documented names.
 */
export function classifyError(error: unknown): FailureKind {
  const chain = errorChain(error);
  const codes = chain.map((item) => (typeof item.code === 'string' ? item.code : ''));
  const names = chain.map((item) => (typeof item.name === 'string' ? item.name : ''));
  if (codes.includes(BLOCKED_ADDRESS_CODE)) return 'blocked_address';
  if (codes.some((code) => DNS_CODES.has(code))) return 'dns';
  if (codes.some((code) => TLS_CODE.test(code))) return 'tls';
  if (codes.some((code) => TIMEOUT_CODES.has(code)) || names.some((name) => TIMEOUT_NAMES.has(name))) return 'timeout';
  return 'connection_refused';
}

/** How a request ended, before classification: an HTTP status, or what it threw. */
export type RequestResult = { status: number } | { error: unknown };

/** The failure of one attempt, or null when it succeeded. */
export function classifyFailure(outcome: RequestResult): FailureKind | null {
  return 'status' in outcome ? classifyStatus(outcome.status) : classifyError(outcome.error);
}
