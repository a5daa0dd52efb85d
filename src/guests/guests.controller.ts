import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { CheckInThrottlerGuard } from './check-in-throttler.guard';
import type { Request, Response } from 'express';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { Principal, callerIdentity } from '../auth/scopes';
import {
  CheckInDto,
  CheckedInGuestResponse,
  GuestResponse,
  LeaveDto,
  ListGuestsQuery,
  NotifyGuestDto,
  SeatGuestDto,
  UpdateGuestDto,
} from './dto/guest.dto';
import { CreateOfferDto, OfferResponse } from './dto/offer.dto';
import { ErasureService } from './erasure.service';
import { GuestsService } from './guests.service';
import { OffersService } from './offers.service';
import { PagingService } from './paging.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Repeat a request safely: the same key from the same caller within 24 h returns the first response.',
};

function markReplay(response: Response, replayed: boolean): void {
  if (replayed) response.setHeader('Idempotent-Replayed', 'true');
}

@ApiTags('guests')
@Controller('api/guests')
export class GuestsController {
  constructor(
    private readonly guests: GuestsService,
    private readonly offers: OffersService,
    private readonly paging: PagingService,
    private readonly erasure: ErasureService,
  ) {}

  /** Check in: joins the waitlist and returns the guest with their token. */
  @Post()
  @Access('public')
  @UseGuards(CheckInThrottlerGuard)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: CheckedInGuestResponse })
  @ApiErrors({ 429: 'More than CHECKIN_RATE_LIMIT check-ins from this address in a minute' })
  async checkIn(
    @Body() body: CheckInDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CheckedInGuestResponse> {
    const result = await this.guests.checkIn(body, {
      caller: callerIdentity(principal, request.ip),
      scope: 'POST /api/guests',
      key: idempotencyKey,
    });
    markReplay(response, result.replayed);
    return result.body;
  }

  /** Guests in check-in order, optionally by status. */
  @Get()
  @Access('staff')
  @ApiOkResponse({ type: [GuestResponse] })
  list(@Query() query: ListGuestsQuery): Promise<GuestResponse[]> {
    return this.guests.list(query.status, query.limit ?? 100);
  }

  /** One guest, with their place in line and quote while waiting. */
  @Get(':id')
  @Access('staff', 'guest')
  @ApiOkResponse({ type: GuestResponse })
  @ApiErrors(404)
  get(@Param('id') id: string): Promise<GuestResponse> {
    return this.guests.get(id);
  }

  /** Change a guest's details; null removes an email or phone. */
  @Patch(':id')
  @Access('staff', 'guest')
  @ApiOkResponse({ type: GuestResponse })
  @ApiErrors(404, { 409: 'The guest was erased' })
  update(@Param('id') id: string, @Body() body: UpdateGuestDto): Promise<GuestResponse> {
    return this.guests.update(id, body);
  }

  /**
   * Erase a guest's personal data: name, email, phone and notes leave the guest and every stored
   * event (times and party size stay); a waiting or seated guest leaves first; writes
   * `guest.erased`. Erasing an erased guest again changes nothing and answers the same.
   */
  @Delete(':id')
  @HttpCode(200)
  @Access('admin')
  @ApiOkResponse({
    type: GuestResponse,
    description: 'The erased guest (name empty, contact details and notes null, erasedAt set)',
  })
  @ApiErrors(404)
  erase(@Param('id') id: string): Promise<GuestResponse> {
    return this.erasure.erase(id);
  }

  /** Seat a waiting guest at a free table that fits the party. */
  @Post(':id/seat')
  @HttpCode(200)
  @Access('staff')
  @ApiOkResponse({ type: GuestResponse })
  @ApiErrors(404, { 409: 'The guest is not waiting, or the table is not free or too small' })
  seat(@Param('id') id: string, @Body() body: SeatGuestDto): Promise<GuestResponse> {
    return this.guests.seat(id, body.tableId);
  }

  /** Page a waiting guest ("your table is ready"), optionally holding a free table that fits until TABLE_HOLD ends. */
  @Post(':id/notify')
  @HttpCode(200)
  @Access('staff')
  @ApiOkResponse({ type: GuestResponse })
  @ApiErrors(404, { 409: 'The guest is not waiting, was already paged, or the table cannot be held' })
  notify(@Param('id') id: string, @Body() body: NotifyGuestDto): Promise<GuestResponse> {
    return this.paging.notify(id, body);
  }

  /** A paged guest is on their way (the guest themself, or staff for them). */
  @Post(':id/confirm')
  @HttpCode(200)
  @Access('staff', 'guest')
  @ApiOkResponse({ type: GuestResponse })
  @ApiErrors(404, { 409: 'The guest is not waiting, was not paged, or the hold has ended' })
  confirm(@Param('id') id: string): Promise<GuestResponse> {
    return this.paging.confirm(id);
  }

  /** Leave the line, or finish the meal; a seated guest's table goes to cleaning. */
  @Post(':id/leave')
  @HttpCode(200)
  @Access('staff', 'guest')
  @ApiOkResponse({ type: GuestResponse })
  @ApiErrors(404, { 409: 'The guest has already left' })
  leave(@Param('id') id: string, @Body() body: LeaveDto): Promise<GuestResponse> {
    return this.guests.leave(id, body.reason);
  }

  /** Make an offer to a guest (the guest sees it live, and an offer.created event goes out). */
  @Post(':id/offers')
  @Access('offers')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: OfferResponse })
  @ApiErrors(404)
  async createOffer(
    @Param('id') id: string,
    @Body() body: CreateOfferDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfferResponse> {
    const result = await this.offers.create(id, body, {
      caller: callerIdentity(principal, request.ip),
      scope: `POST /api/guests/${id}/offers`,
      key: idempotencyKey,
    });
    markReplay(response, result.replayed);
    return result.body;
  }

  /** The offers made to a guest, oldest first. */
  @Get(':id/offers')
  @Access('staff', 'guest')
  @ApiOkResponse({ type: [OfferResponse] })
  @ApiErrors(404)
  listOffers(@Param('id') id: string): Promise<OfferResponse[]> {
    return this.offers.list(id);
  }
}
