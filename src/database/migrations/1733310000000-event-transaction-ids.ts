import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * The id of the transaction that wrote each event, so the PostgreSQL feed can read commit order
 * instead of enforcing it with one lock (see EventsService.feed). The database fills it itself
 * (a column default), so every writer stores it, whichever version of the app it runs.
 * SQLite runs one writer at a time and orders by `seq` alone: there the column stays null.
 *
 * Events written before this migration all committed under the old global lock, in `seq` order:
 * they get transaction id 0, which sorts them before every real transaction and keeps their order.
 */
export class EventTransactionIds1733310000000 implements MigrationInterface {
  name = 'EventTransactionIds1733310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.dataSource.driver.options.type === 'postgres';
    await queryRunner.addColumn(
      'events',
      new TableColumn({
        name: 'xact_id',
        type: 'bigint',
        isNullable: true,
        ...(postgres ? { default: 'pg_current_xact_id()::text::bigint' } : {}),
      }),
    );
    if (!postgres) return;
    await queryRunner.query('UPDATE events SET xact_id = 0 WHERE xact_id IS NULL');
    await queryRunner.createIndex('events', new TableIndex({ name: 'idx_events_xact_seq', columnNames: ['xact_id', 'seq'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.dataSource.driver.options.type === 'postgres') await queryRunner.dropIndex('events', 'idx_events_xact_seq');
    await queryRunner.dropColumn('events', 'xact_id');
  }
}
