import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeliveriesService } from './deliveries.service';
import { DeliveryLifecycle } from './delivery-transitions';
import { AttemptEntity, DeliveryEntity } from './delivery.entity';
import { DispatcherService } from './dispatcher.service';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsService } from './endpoints.service';
import { EventCatalogueService } from './event-catalogue.service';
import { FanoutService } from './fanout.service';
import { RevokedKeyEndpoints } from './key-revocation.hook';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';

@Module({
  imports: [TypeOrmModule.forFeature([EndpointEntity, DeliveryEntity, AttemptEntity])],
  controllers: [WebhooksController],
  providers: [
    EndpointsService,
    DeliveriesService,
    DeliveryLifecycle,
    DispatcherService,
    // @SubscribesToRecords: a delivery per matching endpoint in every recorded event's transaction.
    FanoutService,
    WebhookSender,
    EventCatalogueService,
    // @OnKeyRevocation: disables a revoked key's endpoints in the revocation's transaction.
    RevokedKeyEndpoints,
  ],
  exports: [EventCatalogueService, DispatcherService, DeliveriesService, DeliveryLifecycle],
})
export class WebhooksModule {}
