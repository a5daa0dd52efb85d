import { Module } from '@nestjs/common';
import { GuestsModule } from '../guests/guests.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { RetentionService } from './retention.service';

/**
 * The retention purge. It spans modules on purpose (deliveries, events, idempotency records,
 * guests' erasure), so it lives above them: nothing imports it.
 */
@Module({
  imports: [GuestsModule, WebhooksModule],
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
