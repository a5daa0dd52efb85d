import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TablesModule } from '../tables/tables.module';
import { AccuracyController } from './accuracy.controller';
import { AccuracyService } from './accuracy.service';
import { AvailabilityController } from './availability.controller';
import { ErasureService } from './erasure.service';
import { GuestEntity } from './guest.entity';
import { GuestsController } from './guests.controller';
import { GuestsService } from './guests.service';
import { HoldExpiryService } from './hold-expiry.service';
import { OfferEntity } from './offer.entity';
import { OffersService } from './offers.service';
import { PagingService } from './paging.service';
import { WaitlistService } from './waitlist.service';

@Module({
  imports: [TypeOrmModule.forFeature([GuestEntity, OfferEntity]), TablesModule],
  controllers: [GuestsController, AvailabilityController, AccuracyController],
  providers: [ErasureService, GuestsService, OffersService, WaitlistService, AccuracyService, PagingService, HoldExpiryService],
  exports: [ErasureService, GuestsService, OffersService, WaitlistService, PagingService],
})
export class GuestsModule {}
