import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Payments reported by the payment gateway's webhooks, and the charges Maitred asked the gateway
 * for. The unique indexes on `payment_id` and `webhook_id` are what make inbound webhooks
 * idempotent even if two deliveries of one payment race.
 */
export class Payments1733040000000 implements MigrationInterface {
  name = 'Payments1733040000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'payments',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'payment_id', type: 'varchar', length: '255' },
          { name: 'webhook_id', type: 'varchar', length: '255' },
          { name: 'guest_id', type: 'varchar', length: '40' },
          { name: 'amount', type: 'integer' },
          { name: 'currency', type: 'varchar', length: '3' },
          { name: 'received_at', type: 'varchar', length: '32' },
        ],
        indices: [
          { name: 'uq_payments_payment_id', columnNames: ['payment_id'], isUnique: true },
          { name: 'uq_payments_webhook_id', columnNames: ['webhook_id'], isUnique: true },
          { name: 'idx_payments_guest', columnNames: ['guest_id', 'id'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'payment_charges',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'guest_id', type: 'varchar', length: '40' },
          { name: 'amount', type: 'integer' },
          { name: 'currency', type: 'varchar', length: '3' },
          // requested (sent, or being sent, to the gateway) → accepted (the gateway said 2xx) → paid (its webhook arrived)
          { name: 'status', type: 'varchar', length: '16' },
          // The gateway's id for the payment, known once it accepted the charge.
          { name: 'payment_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'requested_at', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
        indices: [
          { name: 'idx_payment_charges_guest', columnNames: ['guest_id', 'status', 'requested_at'] },
          { name: 'idx_payment_charges_payment', columnNames: ['payment_id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('payment_charges');
    await queryRunner.dropTable('payments');
  }
}
