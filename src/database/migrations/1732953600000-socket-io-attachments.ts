import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * PostgreSQL only: the table @socket.io/postgres-adapter uses for live-update payloads too
 * large for NOTIFY. SQLite runs a single instance and needs no adapter.
 */
export class SocketIoAttachments1732953600000 implements MigrationInterface {
  name = 'SocketIoAttachments1732953600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.dataSource.driver.options.type !== 'postgres') return;
    await queryRunner.createTable(
      new Table({
        name: 'socket_io_attachments',
        columns: [
          { name: 'id', type: 'bigint', isGenerated: true, generationStrategy: 'increment', isUnique: true },
          { name: 'created_at', type: 'timestamptz', default: 'now()' },
          { name: 'payload', type: 'bytea' },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.dataSource.driver.options.type !== 'postgres') return;
    await queryRunner.dropTable('socket_io_attachments', true);
  }
}
