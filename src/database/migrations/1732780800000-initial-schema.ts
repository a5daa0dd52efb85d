import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The restaurant core schema. Written with the QueryRunner table API only, so the same
 * migration runs on SQLite and PostgreSQL. Timestamps are ISO-8601 UTC strings, which sort
 * correctly as text on every dialect.
 */
export class InitialSchema1732780800000 implements MigrationInterface {
  name = 'InitialSchema1732780800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'tables',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'label', type: 'varchar', length: '80' },
          { name: 'capacity', type: 'integer' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'guest_id', type: 'varchar', length: '40', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
        indices: [{ name: 'idx_tables_capacity_status', columnNames: ['capacity', 'status'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'guests',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'name', type: 'varchar', length: '80' },
          { name: 'party_size', type: 'integer' },
          { name: 'email', type: 'varchar', length: '320', isNullable: true },
          { name: 'phone', type: 'varchar', length: '16', isNullable: true },
          { name: 'marketing_opt_in', type: 'boolean', default: false },
          { name: 'notes', type: 'varchar', length: '500', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'table_id', type: 'varchar', length: '40', isNullable: true },
          { name: 'checked_in_at', type: 'varchar', length: '32' },
          { name: 'seated_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'left_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'left_reason', type: 'varchar', length: '16', isNullable: true },
          { name: 'paid_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'token_hash', type: 'varchar', length: '64' },
        ],
        indices: [
          // Waitlist reads: waiting guests in check-in order, and "how many are ahead of me".
          { name: 'idx_guests_status_checked_in', columnNames: ['status', 'checked_in_at', 'id'] },
          // Turn-time history: recently finished parties per table.
          { name: 'idx_guests_left_at', columnNames: ['left_at'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'offers',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'guest_id', type: 'varchar', length: '40' },
          { name: 'title', type: 'varchar', length: '120' },
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
        indices: [{ name: 'idx_offers_guest', columnNames: ['guest_id', 'id'] }],
        foreignKeys: [{ columnNames: ['guest_id'], referencedTableName: 'guests', referencedColumnNames: ['id'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'events',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'id', type: 'varchar', length: '40', isUnique: true },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'timestamp', type: 'varchar', length: '32' },
          { name: 'data', type: 'text' },
        ],
        indices: [{ name: 'idx_events_type_seq', columnNames: ['type', 'seq'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'scopes', type: 'varchar', length: '120' },
          { name: 'key_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'revoked_at', type: 'varchar', length: '32', isNullable: true },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'idempotency_records',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'caller', type: 'varchar', length: '80' },
          { name: 'scope', type: 'varchar', length: '80' },
          { name: 'key_hash', type: 'varchar', length: '64' },
          { name: 'status_code', type: 'integer' },
          { name: 'response', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
        indices: [
          { name: 'uq_idempotency_caller_scope_key', columnNames: ['caller', 'scope', 'key_hash'], isUnique: true },
          { name: 'idx_idempotency_created_at', columnNames: ['created_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['idempotency_records', 'api_keys', 'events', 'offers', 'guests', 'tables']) {
      await queryRunner.dropTable(table);
    }
  }
}
