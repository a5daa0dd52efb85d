import { Injectable } from '@nestjs/common';
import { In, MoreThan } from 'typeorm';
import { Clock } from '../common/clock';
import { ConflictError, ServiceUnavailableError } from '../common/errors';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { GuestsService } from '../guests/guests.service';
import { ChargeEntity } from './charge.entity';
import { PaymentEntity } from './payment.entity';
import { PaymentGatewayClient } from './payment-gateway.client';

/**
 * How long a charge the gateway has not yet reported stays open. While open, asking again for
 * the same amount re-sends it with the same Idempotency-Key (one charge at the gateway), and a
 * different amount is refused; after that it is taken as dropped and a new charge may start.
 */
export const OPEN_CHARGE_WINDOW_MS = 10 * 60 * 1000;

/**
 * Taking payment: Maitred asks the gateway to charge a seated guest and answers once the gateway
 * has taken the charge on. Whether money moved is only known from the gateway's webhook, which
 * `PaymentsService.receive` records; the guest's `paid` flag follows from that alone.
 */
@Injectable()
export class ChargesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly guests: GuestsService,
    private readonly gateway: PaymentGatewayClient,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async charge(guestId: string, amount: number, currency: string): Promise<{ paymentId: string }> {
    const gatewayUrl = this.config.paymentGatewayUrl;
    if (!gatewayUrl) throw new ServiceUnavailableError('No payment gateway is configured: set PAYMENT_GATEWAY_URL');

    const charge = await this.uow.run(async (tx) => {
      const guest = await this.guests.lock(tx, guestId);
      if (guest.paidAt !== null) throw new ConflictError(`Guest ${guestId} has already paid`);
      if (guest.status !== 'seated') {
        throw new ConflictError(`Cannot charge guest ${guestId}: they are ${guest.status}, not seated`);
      }
      const open = await tx.manager.findOne(ChargeEntity, {
        where: {
          guestId,
          status: In(['requested', 'accepted']),
          requestedAt: MoreThan(this.clock.iso(-OPEN_CHARGE_WINDOW_MS)),
        },
        order: { id: 'DESC' },
      });
      if (open) {
        if (open.amount === amount && open.currency === currency) return open;
        throw new ConflictError(
          `A charge of ${open.amount} ${open.currency} for guest ${guestId} is in progress; wait for its outcome`,
        );
      }
      const now = this.clock.iso();
      const created: ChargeEntity = {
        id: newId('chg'),
        guestId,
        amount,
        currency,
        status: 'requested',
        paymentId: null,
        requestedAt: now,
        updatedAt: now,
      };
      await tx.manager.insert(ChargeEntity, created);
      return created;
    });

    // Outside any transaction: a slow gateway must not hold up other writes.
    const { paymentId } = await this.gateway.createCharge(gatewayUrl, { guestId, amount, currency }, charge.id);

    await this.uow.run(async (tx) => {
      // A quick gateway's webhook can arrive before this: then the charge is already paid.
      const paid = await tx.manager.exists(PaymentEntity, { where: { paymentId } });
      await tx.manager.update(
        ChargeEntity,
        { id: charge.id },
        { status: paid ? 'paid' : 'accepted', paymentId, updatedAt: this.clock.iso() },
      );
    });
    return { paymentId };
  }
}
