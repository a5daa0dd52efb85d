import { Injectable, Logger } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { NotFoundError, ServiceUnavailableError } from '../common/errors';
import { newId } from '../common/ids';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { advisoryLock } from '../database/locks';
import { UnitOfWork } from '../database/unit-of-work';
import { PaymentSnapshot, shapeGuestForEvent } from '../events/event-data';
import { EventsService } from '../events/events.service';
import { GuestEntity } from '../guests/guest.entity';
import { GuestsService } from '../guests/guests.service';
import { ChargeEntity } from './charge.entity';
import { InboundWebhookVerifier, readPaymentEvent } from './inbound-webhook';
import { PaymentEntity } from './payment.entity';

export type InboundAck = { received: true; duplicate: boolean } | { received: true; ignored: true };

export function toPaymentSnapshot(payment: PaymentEntity): PaymentSnapshot {
  return {
    id: payment.id,
    paymentId: payment.paymentId,
    guestId: payment.guestId,
    amount: payment.amount,
    currency: payment.currency,
    receivedAt: payment.receivedAt,
  };
}

/** Payments as the gateway reports them: verified, recorded exactly once, announced as `payment.received`. */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('Payments');
  private readonly verifier: InboundWebhookVerifier | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: EventsService,
    private readonly guests: GuestsService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.verifier = config.paymentWebhookSecret ? new InboundWebhookVerifier(config.paymentWebhookSecret) : undefined;
  }

  /**
   * Handles one inbound gateway webhook. The signature is checked first and nothing else is
   * looked at before it passes. A new payment, its guest's `paid` flag and its `payment.received`
   * event commit in one short transaction; delivering the event to subscribers happens after.
   */
  async receive(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<InboundAck> {
    if (!this.verifier) {
      throw new ServiceUnavailableError('Payment webhooks are not configured: set PAYMENT_WEBHOOK_SECRET');
    }
    const webhookId = this.verifier.verify(rawBody, headers);
    const event = readPaymentEvent(webhookId, rawBody);
    if (event.kind === 'ignored') return { received: true, ignored: true };
    const { data } = event;

    return this.uow.run(async (tx) => {
      // Deliveries of one payment take turns (a lock on PostgreSQL, the queue on SQLite), so two of
      // them cannot both pass the check below. A redelivery carries the same payment id.
      await advisoryLock(tx, 'payment', data.paymentId);
      const existing = await tx.manager.findOne(PaymentEntity, {
        where: [{ webhookId }, { paymentId: data.paymentId }],
      });
      if (existing) {
        if (existing.paymentId === data.paymentId && (existing.amount !== data.amount || existing.currency !== data.currency)) {
          this.logger.warn(
            `payment ${data.paymentId} redelivered with ${data.amount} ${data.currency}; recorded as ${existing.amount} ${existing.currency}`,
          );
        }
        return { received: true, duplicate: true } as const;
      }
      const payment: PaymentEntity = {
        id: newId('pay'),
        paymentId: data.paymentId,
        webhookId,
        guestId: data.guestId,
        amount: data.amount,
        currency: data.currency,
        receivedAt: this.clock.iso(),
      };
      // Throws NotFoundError (404) for an unknown guest; the transaction then writes nothing.
      const guest = await this.guests.markPaid(tx, data.guestId, payment.receivedAt);
      await tx.manager.insert(PaymentEntity, payment);
      await tx.manager.update(ChargeEntity, { paymentId: data.paymentId }, { status: 'paid', updatedAt: payment.receivedAt });
      await this.events.record(tx, 'payment.received', {
        payment: toPaymentSnapshot(payment),
        guest: shapeGuestForEvent(guest),
      });
      return { received: true, duplicate: false } as const;
    });
  }

  /** A guest's payments, oldest first. */
  async list(guestId: string, limit: number): Promise<PaymentSnapshot[]> {
    return this.uow.read(async (manager) => {
      if (!(await manager.exists(GuestEntity, { where: { id: guestId } }))) throw new NotFoundError('Guest', guestId);
      const payments = await manager.find(PaymentEntity, { where: { guestId }, order: { id: 'ASC' }, take: limit });
      return payments.map(toPaymentSnapshot);
    });
  }
}
