import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Issue 15, per-guest ordering. `webhook_endpoints.ordering` is `none` or `per_guest`; a delivery
 * to a per_guest endpoint stores its ordering key (the guest's id, or a table's for a table event
 * without a guest) and its place in that key's order (`ordering_seq`, the event's `seq`, see
 * src/webhooks/ordering.ts). The claim asks, for each candidate, whether an earlier delivery of the
 * same endpoint and key is still pending; the partial index makes that one probe into the few
 * unfinished rows (finished history never enters it).
 */
export class WebhookOrdering1733600000000 implements MigrationInterface {
  name = 'WebhookOrdering1733600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webhook_endpoints',
      new TableColumn({ name: 'ordering', type: 'varchar', length: '16', default: "'none'" }),
    );
    await queryRunner.addColumns('webhook_deliveries', [
      new TableColumn({ name: 'ordering_key', type: 'varchar', isNullable: true }),
      new TableColumn({ name: 'ordering_seq', type: 'integer', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'webhook_deliveries',
      new TableIndex({
        name: 'idx_webhook_deliveries_ordering',
        columnNames: ['endpoint_id', 'ordering_key', 'ordering_seq'],
        where: "status = 'pending' AND ordering_key IS NOT NULL",
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('webhook_deliveries', 'idx_webhook_deliveries_ordering');
    await queryRunner.dropColumn('webhook_deliveries', 'ordering_seq');
    await queryRunner.dropColumn('webhook_deliveries', 'ordering_key');
    await queryRunner.dropColumn('webhook_endpoints', 'ordering');
  }
}
