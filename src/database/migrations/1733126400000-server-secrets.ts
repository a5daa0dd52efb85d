import { randomBytes } from 'node:crypto';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Secrets the server derives keys from, generated once per deployment so that every instance
 * shares them: `idempotency` keys the Idempotency-Key lookup hash and the cipher of stored
 * responses (HMAC), so a database dump alone can neither decrypt them nor test guessed keys.
 * IDEMPOTENCY_SECRET, when set, takes precedence over the stored one.
 */
export class ServerSecrets1733126400000 implements MigrationInterface {
  name = 'ServerSecrets1733126400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'server_secrets',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'varchar', length: '128' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await queryRunner.manager
      .createQueryBuilder()
      .insert()
      .into('server_secrets')
      .values({ name: 'idempotency', value: randomBytes(32).toString('base64url'), created_at: new Date().toISOString() })
      .execute();
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('server_secrets');
  }
}
