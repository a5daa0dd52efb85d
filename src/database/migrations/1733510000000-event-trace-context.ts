import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * The W3C traceparent of the request that recorded each event, so every delivery attempt of it,
 * on any instance and however late, continues that trace. Null for events recorded outside a
 * traced request (and for those written before this column): their attempts share a trace id
 * derived from the event id.
 */
export class EventTraceContext1733510000000 implements MigrationInterface {
  name = 'EventTraceContext1733510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('events', new TableColumn({ name: 'trace_context', type: 'varchar', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('events', 'trace_context');
  }
}
