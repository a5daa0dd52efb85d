import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GuestsModule } from '../guests/guests.module';
import { ChargeEntity } from './charge.entity';
import { ChargesService } from './charges.service';
import { InboundPaymentsController } from './inbound-payments.controller';
import { PaymentEntity } from './payment.entity';
import { PaymentGatewayClient } from './payment-gateway.client';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';

/**
 * The payment gateway integration: its signed webhooks in, charges out. It knows guests and
 * records events; who hears about payments (webhooks, live pages) is not its concern.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PaymentEntity, ChargeEntity]), GuestsModule],
  controllers: [InboundPaymentsController, PaymentsController],
  providers: [PaymentsService, ChargesService, PaymentGatewayClient],
})
export class PaymentsModule {}
