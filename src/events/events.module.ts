import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventEntity } from './event.entity';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { SignalBus } from './signals';

@Global()
@Module({
  // DiscoveryModule: EventsService finds the `@SubscribesToRecords()` providers of other modules.
  imports: [TypeOrmModule.forFeature([EventEntity]), DiscoveryModule],
  controllers: [EventsController],
  providers: [EventsService, SignalBus],
  exports: [EventsService, SignalBus],
})
export class EventsModule {}
