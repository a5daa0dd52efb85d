import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Paging a guest ("your table is ready"): when they were paged, until when their table is held,
 * which table, and when they confirmed. The partial index is what the hold-expiry sweep reads on
 * every tick: only waiting guests with a hold, ordered by when it ends.
 */
export class GuestPaging1733303000000 implements MigrationInterface {
  name = 'GuestPaging1733303000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('guests', [
      new TableColumn({ name: 'notified_at', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'hold_until', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'held_table_id', type: 'varchar', length: '40', isNullable: true }),
      new TableColumn({ name: 'confirmed_at', type: 'varchar', length: '32', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'guests',
      new TableIndex({
        name: 'idx_guests_hold_until',
        columnNames: ['hold_until'],
        where: "status = 'waiting' AND hold_until IS NOT NULL",
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('guests', 'idx_guests_hold_until');
    for (const column of ['confirmed_at', 'held_table_id', 'hold_until', 'notified_at'])
      await queryRunner.dropColumn('guests', column);
  }
}
