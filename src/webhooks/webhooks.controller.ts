import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import type { Principal } from '../auth/scopes';
import { UnauthorizedError } from '../common/errors';
import { DeliveriesService } from './deliveries.service';
import {
  AttemptPageResponse,
  CreatedEndpointResponse,
  CreateEndpointDto,
  DeliveryResponse,
  DeliveryWithAttemptsResponse,
  EndpointResponse,
  EndpointStatsResponse,
  EventTypeResponse,
  ListAttemptsQuery,
  ListDeliveriesQuery,
  RecoverDto,
  SecretResponse,
  UpdateEndpointDto,
} from './dto/endpoint.dto';
import { EndpointsService } from './endpoints.service';
import { EventCatalogueService } from './event-catalogue.service';

function caller(principal: Principal | undefined): Principal {
  // The guard has already required a key; this narrows the type for the services.
  if (!principal) throw new UnauthorizedError('Missing credentials');
  return principal;
}

@ApiTags('webhooks')
@Controller('api/webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly deliveries: DeliveriesService,
    private readonly catalogue: EventCatalogueService,
  ) {}

  /** Every event type with a JSON Schema of its `data`. */
  @Get('event-types')
  @Access('public')
  @ApiOkResponse({ type: [EventTypeResponse] })
  eventTypes(): EventTypeResponse[] {
    return this.catalogue.list();
  }

  @Post('endpoints')
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: CreatedEndpointResponse })
  @ApiConflictResponse({ description: 'WEBHOOK_MAX_ENDPOINTS_PER_KEY or WEBHOOK_MAX_ENDPOINTS reached' })
  create(@CurrentPrincipal() principal: Principal | undefined, @Body() body: CreateEndpointDto): Promise<CreatedEndpointResponse> {
    return this.endpoints.create(caller(principal), body);
  }

  @Get('endpoints')
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiOkResponse({ type: [EndpointResponse] })
  list(@CurrentPrincipal() principal: Principal | undefined): Promise<EndpointResponse[]> {
    return this.endpoints.list(caller(principal));
  }

  @Get('endpoints/:id')
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiOkResponse({ type: EndpointResponse })
  get(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<EndpointResponse> {
    return this.endpoints.get(caller(principal), id);
  }

  @Patch('endpoints/:id')
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiOkResponse({ type: EndpointResponse })
  update(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Body() body: UpdateEndpointDto,
  ): Promise<EndpointResponse> {
    return this.endpoints.update(caller(principal), id, body);
  }

  @Delete('endpoints/:id')
  @HttpCode(204)
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<void> {
    await this.endpoints.remove(caller(principal), id);
  }

  @Post('endpoints/:id/rotate-secret')
  @HttpCode(200)
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SecretResponse })
  rotateSecret(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<SecretResponse> {
    return this.endpoints.rotateSecret(caller(principal), id);
  }

  @Get('endpoints/:id/secret')
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SecretResponse })
  secret(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<SecretResponse> {
    return this.endpoints.secret(caller(principal), id);
  }

  @Post('endpoints/:id/test')
  @HttpCode(202)
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiAcceptedResponse({ description: '{ eventId }' })
  sendTest(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<{ eventId: string }> {
    return this.endpoints.sendTest(caller(principal), id);
  }

  @Get('endpoints/:id/deliveries')
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiOkResponse({ type: [DeliveryWithAttemptsResponse] })
  deliveriesOf(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<DeliveryWithAttemptsResponse[]> {
    return this.deliveries.list(caller(principal), id, { status: query.status, before: query.before, limit: query.limit ?? 100 });
  }

  @Get('deliveries/:id/attempts')
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiOkResponse({ type: AttemptPageResponse })
  @ApiNotFoundResponse({ description: 'No such delivery, or another key\'s' })
  attemptsOf(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Query() query: ListAttemptsQuery,
  ): Promise<AttemptPageResponse> {
    return this.deliveries.attempts(caller(principal), id, { before: query.before, limit: query.limit ?? 20 });
  }

  @Post('deliveries/:id/retry')
  @HttpCode(202)
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiAcceptedResponse({ type: DeliveryResponse })
  retry(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<DeliveryResponse> {
    return this.deliveries.retry(caller(principal), id);
  }

  @Post('endpoints/:id/recover')
  @HttpCode(202)
  @Access('endpoints')
  @ApiBearerAuth()
  @ApiAcceptedResponse({ description: '{ count }: failed deliveries re-queued' })
  recover(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Body() body: RecoverDto,
  ): Promise<{ count: number }> {
    return this.deliveries.recover(caller(principal), id, body.since);
  }

  /** Per endpoint over the last 24 h: success rate, p50/p99 latency, backlog, last error. */
  @Get('stats')
  @Access('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: [EndpointStatsResponse] })
  stats(): Promise<EndpointStatsResponse[]> {
    return this.deliveries.stats();
  }
}
