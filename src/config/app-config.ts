import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MinLength,
  Min,
  ValidateBy,
  validateSync,
  ValidationError,
} from 'class-validator';
import { parseDuration, parseDurationList } from '../common/duration';
import { parseTrustProxy } from './trust-proxy';
import { ID_RANGE_CAPACITY } from '../common/ids';
import { DEFAULT_WAIT_ESTIMATOR, WAIT_ESTIMATOR_NAMES, type WaitEstimatorName } from '../guests/wait-estimator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off'].includes(normalized)) return false;
  return value;
};
// Durations are parsed while validating, so AppConfig reads milliseconds; malformed text is left
// as it is for the validator to reject with a message naming the variable.
const toDurationMs = ({ value }: { value: unknown }) => (typeof value === 'string' ? (parseDuration(value) ?? value) : value);
const toDurationListMs = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (parseDurationList(value) ?? value) : value;
const isDurationList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => Number.isInteger(item));

/** A default written as the operator would write it; malformed text is a programming error caught at load. */
function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new Error(`malformed default duration ${text}`);
  return ms;
}

/**
 * Each recompute of the live views reads the line and pushes to every open screen, which at 200
 * changes a second was the largest cost of a check-in. 30 ms folds about 6 such changes into one
 * recompute, stays far below what a person watching a screen notices, and leaves room in the
 * 100 ms budget of a push to 1,000 boards. The first change after a quiet spell is pushed at once.
 */
export const LIVE_REFRESH_DEFAULT_MS = 30;

/**
 * The environment as the README's configuration table names it. Every variable is validated once at boot;
 * an invalid value stops the start with a message naming the variable.
 */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsString()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or postgres://…',
  })
  DATABASE_URL = 'sqlite:data/maitred.sqlite';

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ADMIN_API_KEY must be at least 16 characters' })
  ADMIN_API_KEY?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'SEED_DEMO must be true or false' })
  SEED_DEMO = true;

  @IsOptional()
  @Transform(toDurationListMs)
  @ValidateBy(
    { name: 'isDurationList', validator: { validate: isDurationList } },
    { message: 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations such as 1s,2s,5s' },
  )
  WEBHOOK_RETRY_SCHEDULE: number[] = ['5s', '5m', '30m', '2h', '5h', '10h', '10h'].map(duration);

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_TIMEOUT_MS must be an integer number of milliseconds' })
  @Min(1)
  @Max(300_000)
  WEBHOOK_TIMEOUT_MS = 15_000;

  @IsOptional()
  @IsString()
  // host:port, with an IPv6 host in brackets as URLs write it ([::1]:8080).
  @Matches(/^\s*(([^\s,:[\]]+|\[[0-9A-Fa-f:.]+\]):\d+)?\s*(,\s*([^\s,:[\]]+|\[[0-9A-Fa-f:.]+\]):\d+\s*)*$/, {
    message: 'WEBHOOK_ALLOWED_HOSTS must be a comma-separated list of host:port',
  })
  WEBHOOK_ALLOWED_HOSTS = '';

  @IsOptional()
  @Transform(toDurationMs)
  @IsInt({ message: 'WEBHOOK_SECRET_GRACE must be a duration such as 24h' })
  WEBHOOK_SECRET_GRACE = duration('24h');

  @IsOptional()
  @Transform(toDurationMs)
  @IsInt({ message: 'WEBHOOK_DISABLE_AFTER must be a duration such as 5d' })
  WEBHOOK_DISABLE_AFTER = duration('5d');

  /** How long events, deliveries, attempts and idempotency records are kept, and left guests before erasure. */
  @IsOptional()
  @Transform(toDurationMs)
  @IsInt({ message: 'RETENTION must be a duration such as 30d' })
  @Min(60_000, { message: 'RETENTION must be at least 1m' })
  RETENTION = duration('30d');

  /** How often (real time) a retention pass starts; the first one this long after boot. */
  @IsOptional()
  @Transform(toDurationMs)
  @IsInt({ message: 'RETENTION_INTERVAL must be a duration such as 30s' })
  @Min(1_000, { message: 'RETENTION_INTERVAL must be at least 1s' })
  @Max(60_000, { message: 'RETENTION_INTERVAL must be at most 1m (the contract purges at least once a minute)' })
  RETENTION_INTERVAL = duration('30s');

  @IsOptional()
  @IsString()
  @Matches(/^whsec_[A-Za-z0-9+/=]{16,}$/, {
    message: 'PAYMENT_WEBHOOK_SECRET must be whsec_ followed by base64',
  })
  PAYMENT_WEBHOOK_SECRET?: string;

  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/.+/, { message: 'PAYMENT_GATEWAY_URL must be an http(s) URL' })
  PAYMENT_GATEWAY_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'CHECKIN_RATE_LIMIT must be a non-negative integer (0 turns it off)' })
  @Min(0)
  CHECKIN_RATE_LIMIT = 60;

  @IsOptional()
  @IsString()
  @ValidateBy(
    {
      name: 'isTrustProxy',
      validator: { validate: (value: unknown) => typeof value === 'string' && parseTrustProxy(value) !== null },
    },
    {
      message:
        'TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of IP addresses, ' +
        'CIDR ranges, loopback, linklocal or uniquelocal',
    },
  )
  TRUST_PROXY?: string;

  /** Extension: the secret Idempotency-Key hashes and response ciphers are keyed with (else one stored in the database). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'IDEMPOTENCY_SECRET must be at least 32 characters' })
  IDEMPOTENCY_SECRET?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_MAX_ENDPOINTS_PER_KEY must be a positive integer' })
  @Min(1, { message: 'WEBHOOK_MAX_ENDPOINTS_PER_KEY must be a positive integer' })
  @Max(ID_RANGE_CAPACITY - 1, { message: `WEBHOOK_MAX_ENDPOINTS_PER_KEY must be at most ${ID_RANGE_CAPACITY - 1}` })
  WEBHOOK_MAX_ENDPOINTS_PER_KEY = 25;

  /** The whole deployment's endpoints: one event's deliveries are named from one id range. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_MAX_ENDPOINTS must be a positive integer' })
  @Min(1, { message: 'WEBHOOK_MAX_ENDPOINTS must be a positive integer' })
  @Max(ID_RANGE_CAPACITY - 1, { message: `WEBHOOK_MAX_ENDPOINTS must be at most ${ID_RANGE_CAPACITY - 1}` })
  WEBHOOK_MAX_ENDPOINTS = 1000;

  /** Extension: deliveries in flight at once per instance. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_CONCURRENCY must be a positive integer' })
  @Min(1)
  @Max(10_000)
  WEBHOOK_CONCURRENCY = 256;

  /** Extension: deliveries in flight at once to one endpoint, per instance. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_ENDPOINT_CONCURRENCY must be a positive integer' })
  @Min(1)
  @Max(1_000)
  WEBHOOK_ENDPOINT_CONCURRENCY = 16;

  /** Extension: how long a claimed delivery stays leased without renewal. */
  @IsOptional()
  @Transform(toDurationMs)
  @IsInt({ message: 'WEBHOOK_LEASE must be a duration such as 20s' })
  WEBHOOK_LEASE = duration('20s');

  /**
   * Extension: consecutive failed attempts that open an endpoint's circuit breaker (then no attempt
   * for a cool-down of 30 s, doubling up to 10 min, and a single probe); 0 turns the breaker off.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_BREAKER_AFTER must be a non-negative integer (0 turns the breaker off)' })
  @Min(0)
  @Max(1_000_000)
  WEBHOOK_BREAKER_AFTER = 5;

  /** Extension: turn time assumed for a capacity class until there is seated history. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DEFAULT_TURN_MINUTES must be a positive integer' })
  @Min(1)
  @Max(1440)
  DEFAULT_TURN_MINUTES = 45;

  /** Extension (quote accuracy): which wait estimator quotes; see docs/quotes.md. */
  @IsOptional()
  @IsIn(WAIT_ESTIMATOR_NAMES, { message: `WAIT_ESTIMATOR must be one of ${WAIT_ESTIMATOR_NAMES.join(', ')}` })
  WAIT_ESTIMATOR: WaitEstimatorName = DEFAULT_WAIT_ESTIMATOR;

  /** How long a paged guest's table is held before they count as a no-show. */
  @IsOptional()
  @IsString()
  @Matches(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$/i, { message: 'TABLE_HOLD must be a duration such as 10m' })
  @ValidateBy(
    {
      name: 'isPositiveDuration',
      validator: { validate: (value: unknown) => typeof value === 'string' && (parseDuration(value) ?? 0) >= 1000 },
    },
    { message: 'TABLE_HOLD must be at least 1s' },
  )
  TABLE_HOLD = '10m';

  /**
   * Extension: live views (availability, the waitlist, guest pages) are recomputed at most once per
   * this many milliseconds per instance (see LIVE_REFRESH_DEFAULT_MS).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'LIVE_REFRESH_MS must be an integer number of milliseconds' })
  @Min(0)
  @Max(10_000)
  LIVE_REFRESH_MS: number = LIVE_REFRESH_DEFAULT_MS;

  /** GET /metrics without a key (for a scraper on a private network); else it needs an admin key. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'METRICS_PUBLIC must be true or false' })
  METRICS_PUBLIC = false;

  /**
   * Extension: `off` turns the Prometheus metrics off altogether (no timing of requests, /metrics
   * answers 404), which the benchmark uses to measure what they cost.
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'METRICS must be on or off' })
  METRICS = true;

  /** OTLP/HTTP collector base URL (traces go to <url>/v1/traces); tracing export is off without it. */
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The service name on exported spans. */
  @IsOptional()
  @IsString()
  @Matches(/^\S{1,100}$/, { message: 'OTEL_SERVICE_NAME must be a name without spaces' })
  OTEL_SERVICE_NAME = 'maitred';

  /** Extension: pino log level; `silent` for tests. */
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';
}

export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The validated, parsed configuration the rest of the application reads. */
export class AppConfig {
  readonly port: number;
  readonly databaseUrl: string;
  readonly adminApiKey: string | undefined;
  readonly seedDemo: boolean;
  readonly webhookRetryScheduleMs: number[];
  readonly webhookTimeoutMs: number;
  readonly webhookAllowedHosts: string[];
  readonly webhookSecretGraceMs: number;
  readonly webhookDisableAfterMs: number;
  readonly paymentWebhookSecret: string | undefined;
  readonly paymentGatewayUrl: string | undefined;
  readonly checkinRateLimit: number;
  readonly trustProxy: boolean | number | string | undefined;
  readonly defaultTurnMinutes: number;
  readonly waitEstimator: WaitEstimatorName;
  readonly liveRefreshMs: number;
  readonly logLevel: string;
  readonly webhookConcurrency: number;
  readonly webhookEndpointConcurrency: number;
  readonly webhookLeaseMs: number;
  readonly webhookBreakerAfter: number;
  readonly idempotencySecret: string | undefined;
  readonly webhookMaxEndpointsPerKey: number;
  readonly webhookMaxEndpoints: number;
  readonly tableHoldMs: number;
  readonly metricsPublic: boolean;
  readonly metricsEnabled: boolean;
  readonly otlpEndpoint: string | undefined;
  readonly otelServiceName: string;
  readonly retentionMs: number;
  readonly retentionIntervalMs: number;

  constructor(env: EnvironmentVariables) {
    this.port = env.PORT;
    this.databaseUrl = env.DATABASE_URL;
    this.adminApiKey = env.ADMIN_API_KEY;
    this.seedDemo = env.SEED_DEMO;
    this.webhookRetryScheduleMs = env.WEBHOOK_RETRY_SCHEDULE;
    this.webhookTimeoutMs = env.WEBHOOK_TIMEOUT_MS;
    this.webhookAllowedHosts = env.WEBHOOK_ALLOWED_HOSTS.split(',')
      .map((host) => host.trim().toLowerCase())
      .filter((host) => host.length > 0);
    this.webhookSecretGraceMs = env.WEBHOOK_SECRET_GRACE;
    this.webhookDisableAfterMs = env.WEBHOOK_DISABLE_AFTER;
    this.paymentWebhookSecret = env.PAYMENT_WEBHOOK_SECRET;
    this.paymentGatewayUrl = env.PAYMENT_GATEWAY_URL;
    this.checkinRateLimit = env.CHECKIN_RATE_LIMIT;
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY) ?? undefined;
    this.defaultTurnMinutes = env.DEFAULT_TURN_MINUTES;
    this.waitEstimator = env.WAIT_ESTIMATOR;
    this.liveRefreshMs = env.LIVE_REFRESH_MS;
    this.logLevel = env.LOG_LEVEL;
    this.webhookConcurrency = env.WEBHOOK_CONCURRENCY;
    this.webhookEndpointConcurrency = env.WEBHOOK_ENDPOINT_CONCURRENCY;
    this.webhookLeaseMs = env.WEBHOOK_LEASE;
    this.webhookBreakerAfter = env.WEBHOOK_BREAKER_AFTER;
    this.idempotencySecret = env.IDEMPOTENCY_SECRET;
    this.webhookMaxEndpointsPerKey = env.WEBHOOK_MAX_ENDPOINTS_PER_KEY;
    this.webhookMaxEndpoints = env.WEBHOOK_MAX_ENDPOINTS;
    this.tableHoldMs = parseDuration(env.TABLE_HOLD) ?? 600_000;
    this.metricsPublic = env.METRICS_PUBLIC;
    this.metricsEnabled = env.METRICS;
    this.otlpEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
    this.otelServiceName = env.OTEL_SERVICE_NAME;
    this.retentionMs = env.RETENTION;
    this.retentionIntervalMs = env.RETENTION_INTERVAL;
  }

  get isPostgres(): boolean {
    return /^postgres(ql)?:\/\//.test(this.databaseUrl);
  }

  /** The SQLite file path (only meaningful when not on PostgreSQL). */
  get sqlitePath(): string {
    return this.databaseUrl.replace(/^sqlite:/, '');
  }
}

const KNOWN = Object.keys(new EnvironmentVariables());

/** Validates the environment once; throws ConfigError naming every invalid variable. */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  const raw: Record<string, string> = {};
  for (const name of [
    ...KNOWN,
    'ADMIN_API_KEY',
    'PAYMENT_WEBHOOK_SECRET',
    'PAYMENT_GATEWAY_URL',
    'TRUST_PROXY',
    'IDEMPOTENCY_SECRET',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
  ]) {
    const value = source[name];
    // An empty variable means "use the default", as shells and compose files often export blanks.
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const names = errors.map((error: ValidationError) => error.property);
    const lines = errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    throw new ConfigError(names, `Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  return new AppConfig(env);
}
