import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Issue 15, part A. `signing` says which scheme an endpoint's new material is made for (its
 * `secret` column holds a `whsec_` HMAC secret or a `whsk_` Ed25519 key; the prefix decides how
 * each one signs). Replay selects events by their `timestamp`, so that gets an index.
 */
export class EndpointSigningAndReplay1733400000000 implements MigrationInterface {
  name = 'EndpointSigningAndReplay1733400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webhook_endpoints',
      new TableColumn({ name: 'signing', type: 'varchar', length: '16', default: "'hmac'" }),
    );
    await queryRunner.createIndex('events', new TableIndex({ name: 'idx_events_timestamp', columnNames: ['timestamp'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('events', 'idx_events_timestamp');
    await queryRunner.dropColumn('webhook_endpoints', 'signing');
  }
}
