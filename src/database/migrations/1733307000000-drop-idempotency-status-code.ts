import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Idempotency records kept the first response's status code, but every stored response is a
 * success that the route answers with its own status, so nothing ever read it. The column was
 * NOT NULL without a default, so leaving it would force writes to keep filling it: it goes.
 */
export class DropIdempotencyStatusCode1733307000000 implements MigrationInterface {
  name = 'DropIdempotencyStatusCode1733307000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('idempotency_records', 'status_code');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Every stored record was a 200 when the column existed.
    await queryRunner.addColumn('idempotency_records', new TableColumn({ name: 'status_code', type: 'integer', default: 200 }));
  }
}
