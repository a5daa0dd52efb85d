import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Per-endpoint rate limits (see src/webhooks/rate-limit.ts): the configured limit, the adaptive
 * rate after 429/502/504 answers, and the token bucket every instance's claims draw from (times in
 * epoch milliseconds, so the refill is plain arithmetic on either dialect).
 */
export class WebhookRateLimits1733610000000 implements MigrationInterface {
  name = 'WebhookRateLimits1733610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('webhook_endpoints', [
      new TableColumn({ name: 'rate_limit_per_second', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'rate_effective', type: 'double precision', isNullable: true }),
      new TableColumn({ name: 'rate_tokens', type: 'double precision', isNullable: true }),
      new TableColumn({ name: 'rate_refilled_at', type: 'double precision', isNullable: true }),
      new TableColumn({ name: 'rate_throttled_at', type: 'double precision', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['rate_throttled_at', 'rate_refilled_at', 'rate_tokens', 'rate_effective', 'rate_limit_per_second']) {
      await queryRunner.dropColumn('webhook_endpoints', name);
    }
  }
}
