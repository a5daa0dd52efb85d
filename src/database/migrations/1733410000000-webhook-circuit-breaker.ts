import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * The circuit breaker's state on each endpoint (see src/webhooks/circuit-breaker.ts): the run of
 * failed attempts, the re-opens since the last success (the cool-down doubles with them) and the
 * end of the pause, null while closed.
 */
export class WebhookCircuitBreaker1733410000000 implements MigrationInterface {
  name = 'WebhookCircuitBreaker1733410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('webhook_endpoints', [
      new TableColumn({ name: 'consecutive_failures', type: 'integer', default: 0 }),
      new TableColumn({ name: 'breaker_opens', type: 'integer', default: 0 }),
      new TableColumn({ name: 'paused_until', type: 'varchar', length: '32', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('webhook_endpoints', 'paused_until');
    await queryRunner.dropColumn('webhook_endpoints', 'breaker_opens');
    await queryRunner.dropColumn('webhook_endpoints', 'consecutive_failures');
  }
}
