import { Module } from '@nestjs/common';
import { GuestsModule } from '../guests/guests.module';
import { FloorGateway } from './floor.gateway';
import { GuestGateway } from './guest.gateway';
import { ListenGateway } from './listen.gateway';
import { RealtimeListener } from './realtime.listener';
import { StaffGateway } from './staff.gateway';

@Module({
  imports: [GuestsModule],
  providers: [FloorGateway, StaffGateway, GuestGateway, ListenGateway, RealtimeListener],
  exports: [StaffGateway],
})
export class RealtimeModule {}
