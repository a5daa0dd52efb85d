import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Erasure and retention (README, "Erasure and retention"):
 * - `guests.erased_at`: when the guest's personal data was erased (a second erasure is a no-op).
 * - `idempotency_records.guest_id`: the guest a stored response is about, so erasing a guest can
 *   delete the stored answers that hold their name (check-in, offers).
 * - indexes on the times the purge selects by, so each small batch finds its rows without a scan.
 */
export class ErasureAndRetention1733500000000 implements MigrationInterface {
  name = 'ErasureAndRetention1733500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('guests', new TableColumn({ name: 'erased_at', type: 'varchar', isNullable: true }));
    await queryRunner.addColumn('idempotency_records', new TableColumn({ name: 'guest_id', type: 'varchar', isNullable: true }));
    await queryRunner.createIndex(
      'idempotency_records',
      new TableIndex({ name: 'idx_idempotency_records_guest', columnNames: ['guest_id'] }),
    );
    // idx_events_timestamp, which the purge's age scan of events uses, comes with replay (1733400000000).
    await queryRunner.createIndex(
      'webhook_deliveries',
      new TableIndex({ name: 'idx_webhook_deliveries_created', columnNames: ['created_at'] }),
    );
    await queryRunner.createIndex('webhook_attempts', new TableIndex({ name: 'idx_webhook_attempts_at', columnNames: ['at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('webhook_attempts', 'idx_webhook_attempts_at');
    await queryRunner.dropIndex('webhook_deliveries', 'idx_webhook_deliveries_created');
    await queryRunner.dropIndex('idempotency_records', 'idx_idempotency_records_guest');
    await queryRunner.dropColumn('idempotency_records', 'guest_id');
    await queryRunner.dropColumn('guests', 'erased_at');
  }
}
