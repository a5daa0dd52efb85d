import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Webhook endpoints, the delivery outbox and the attempt log (QueryRunner table API: SQLite and PostgreSQL). */
export class Webhooks1732867200000 implements MigrationInterface {
  name = 'Webhooks1732867200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'event_types', type: 'text' },
          { name: 'enabled', type: 'boolean', default: true },
          { name: 'disabled_reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'owner_key_id', type: 'varchar', length: '40' },
          { name: 'secret', type: 'varchar', length: '80' },
          { name: 'previous_secret', type: 'varchar', length: '80', isNullable: true },
          { name: 'previous_secret_expires_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'failing_since', type: 'varchar', length: '32', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
        indices: [{ name: 'idx_webhook_endpoints_owner', columnNames: ['owner_key_id', 'id'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '40' },
          { name: 'endpoint_id', type: 'varchar', length: '40' },
          { name: 'event_type', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempt_count', type: 'integer', default: 0 },
          { name: 'retry_step', type: 'integer', default: 0 },
          { name: 'next_attempt_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_expires_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'last_status_code', type: 'integer', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'delivered_at', type: 'varchar', length: '32', isNullable: true },
          // Only for events that are not in the events table (webhook.test): the body to send.
          { name: 'payload', type: 'text', isNullable: true },
        ],
        indices: [
          // The claim: due pending work of one endpoint, oldest first.
          { name: 'idx_webhook_deliveries_claim', columnNames: ['endpoint_id', 'status', 'next_attempt_at'] },
          // Listing an endpoint's deliveries newest first, and recover-since.
          { name: 'idx_webhook_deliveries_endpoint', columnNames: ['endpoint_id', 'id'] },
          { name: 'idx_webhook_deliveries_event', columnNames: ['event_id'] },
          { name: 'idx_webhook_deliveries_lease', columnNames: ['lease_owner'] },
        ],
        foreignKeys: [
          {
            columnNames: ['endpoint_id'],
            referencedTableName: 'webhook_endpoints',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'webhook_attempts',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'delivery_id', type: 'varchar', length: '40' },
          { name: 'endpoint_id', type: 'varchar', length: '40' },
          { name: 'at', type: 'varchar', length: '32' },
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'duration_ms', type: 'integer' },
          { name: 'error', type: 'varchar', length: '64', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
        ],
        indices: [
          { name: 'idx_webhook_attempts_delivery', columnNames: ['delivery_id', 'seq'] },
          { name: 'idx_webhook_attempts_endpoint_at', columnNames: ['endpoint_id', 'at'] },
        ],
        foreignKeys: [
          {
            columnNames: ['delivery_id'],
            referencedTableName: 'webhook_deliveries',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_attempts');
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
