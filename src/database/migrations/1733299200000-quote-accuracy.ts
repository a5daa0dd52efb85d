import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Quotes that are kept: the quote a guest was given at check-in, and once seated the whole minutes
 * they actually waited, so GET /api/waitlist/accuracy can add them up in SQL. Guests from before
 * this migration have neither and are left out of the figures.
 */
export class QuoteAccuracy1733299200000 implements MigrationInterface {
  name = 'QuoteAccuracy1733299200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('guests', [
      new TableColumn({ name: 'quoted_wait_at_check_in', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'actual_wait_minutes', type: 'integer', isNullable: true }),
    ]);
    // Accuracy over "guests seated since": a range on seated_at instead of a pass over every guest.
    await queryRunner.createIndex('guests', new TableIndex({ name: 'idx_guests_seated_at', columnNames: ['seated_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('guests', 'idx_guests_seated_at');
    await queryRunner.dropColumn('guests', 'actual_wait_minutes');
    await queryRunner.dropColumn('guests', 'quoted_wait_at_check_in');
  }
}
