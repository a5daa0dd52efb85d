import { ConfigError, loadConfig } from './app-config';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig durations', () => {
  it('defaults to the contract values in milliseconds', () => {
    const config = loadConfig({});
    expect(config.webhookRetryScheduleMs).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(config.webhookSecretGraceMs).toBe(86_400_000);
    expect(config.webhookDisableAfterMs).toBe(432_000_000);
    expect(config.webhookLeaseMs).toBe(20_000);
    expect(config.retentionMs).toBe(30 * 86_400_000);
    expect(config.retentionIntervalMs).toBe(30_000);
  });

  it('parses what the operator wrote', () => {
    const config = loadConfig({
      WEBHOOK_RETRY_SCHEDULE: '200ms, 1s,1.5m',
      WEBHOOK_SECRET_GRACE: '1h',
      WEBHOOK_DISABLE_AFTER: '2d',
      WEBHOOK_LEASE: '500ms',
      RETENTION: '7d',
      RETENTION_INTERVAL: '5s',
    });
    expect(config.retentionMs).toBe(7 * 86_400_000);
    expect(config.retentionIntervalMs).toBe(5_000);
    expect(config.webhookRetryScheduleMs).toEqual([200, 1_000, 90_000]);
    expect(config.webhookSecretGraceMs).toBe(3_600_000);
    expect(config.webhookDisableAfterMs).toBe(172_800_000);
    expect(config.webhookLeaseMs).toBe(500);
  });

  it.each([
    ['WEBHOOK_RETRY_SCHEDULE', '1s,,2s', 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations'],
    ['WEBHOOK_RETRY_SCHEDULE', '1s,', 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations'],
    ['WEBHOOK_RETRY_SCHEDULE', 'soon', 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations'],
    ['WEBHOOK_SECRET_GRACE', '24', 'WEBHOOK_SECRET_GRACE must be a duration such as 24h'],
    // Once accepted by the pattern and then read as 0 by a fallback: now refused by name.
    ['WEBHOOK_SECRET_GRACE', `${'9'.repeat(400)}h`, 'WEBHOOK_SECRET_GRACE must be a duration such as 24h'],
    ['WEBHOOK_DISABLE_AFTER', '-5d', 'WEBHOOK_DISABLE_AFTER must be a duration such as 5d'],
    ['RETENTION', 'a month', 'RETENTION must be a duration such as 30d'],
    ['RETENTION', '10s', 'RETENTION must be at least 1m'],
    ['RETENTION_INTERVAL', '500ms', 'RETENTION_INTERVAL must be at least 1s'],
    ['RETENTION_INTERVAL', '5m', 'RETENTION_INTERVAL must be at most 1m'],
    ['WEBHOOK_LEASE', '20 seconds', 'WEBHOOK_LEASE must be a duration such as 20s'],
  ])('refuses %s=%p naming it', (name, value, message) => {
    const error = errorOf({ [name]: value });
    expect(error.variables).toEqual([name]);
    expect(error.message).toContain(message);
  });
});

describe('loadConfig observability', () => {
  it('defaults: metrics on behind the admin key, no trace export', () => {
    const config = loadConfig({});
    expect(config.metricsEnabled).toBe(true);
    expect(config.metricsPublic).toBe(false);
    expect(config.otlpEndpoint).toBeUndefined();
    expect(config.otelServiceName).toBe('maitred');
  });

  it('reads what the operator wrote', () => {
    const config = loadConfig({ METRICS: 'off', METRICS_PUBLIC: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
    expect(config.metricsEnabled).toBe(false);
    expect(config.metricsPublic).toBe(true);
    expect(config.otlpEndpoint).toBe('http://127.0.0.1:4318');
  });

  it.each([
    ['METRICS_PUBLIC', 'maybe', 'METRICS_PUBLIC must be true or false'],
    ['METRICS', 'sometimes', 'METRICS must be on or off'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL'],
    ['OTEL_SERVICE_NAME', 'two words', 'OTEL_SERVICE_NAME must be a name without spaces'],
  ])('refuses %s=%p naming it', (name, value, message) => {
    const error = errorOf({ [name]: value });
    expect(error.variables).toEqual([name]);
    expect(error.message).toContain(message);
  });
});
