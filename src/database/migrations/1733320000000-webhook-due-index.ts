import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The dispatcher first asks which endpoints have due work (sql/claim.ts, a loose index scan), so a
 * tick costs the endpoints with work, not every enabled endpoint. Status leads so the scan never
 * walks the succeeded and failed history; endpoint_id next so it jumps from endpoint to endpoint.
 */
export class WebhookDueIndex1733320000000 implements MigrationInterface {
  name = 'WebhookDueIndex1733320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'webhook_deliveries',
      new TableIndex({ name: 'idx_webhook_deliveries_due', columnNames: ['status', 'endpoint_id', 'next_attempt_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('webhook_deliveries', 'idx_webhook_deliveries_due');
  }
}
