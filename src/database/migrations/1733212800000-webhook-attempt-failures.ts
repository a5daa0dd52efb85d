import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The failed attempts of each endpoint, newest last: admin stats reads each endpoint's last
 * error from it in one index step, however many successes came after (partial: failures only).
 */
export class WebhookAttemptFailures1733212800000 implements MigrationInterface {
  name = 'WebhookAttemptFailures1733212800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'webhook_attempts',
      new TableIndex({ name: 'idx_webhook_attempts_failures', columnNames: ['endpoint_id', 'seq'], where: 'error IS NOT NULL' }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('webhook_attempts', 'idx_webhook_attempts_failures');
  }
}
