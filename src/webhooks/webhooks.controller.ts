import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import type { Principal } from '../auth/scopes';
import { UnauthorizedError } from '../common/errors';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { DeliveriesService } from './deliveries.service';
import {
  AttemptPageResponse,
  CreatedEndpointResponse,
  CreateEndpointDto,
  DeliveryRequestResponse,
  DeliveryResponse,
  DeliveryWithAttemptsResponse,
  EndpointResponse,
  EndpointStatsResponse,
  EventTypeResponse,
  ListAttemptsQuery,
  ListDeliveriesQuery,
  RecoverDto,
  RecoveredResponse,
  ReplayDto,
  ReplayedResponse,
  SecretResponse,
  TestSentResponse,
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

  /** Register an endpoint; it belongs to the key that registers it, and its secret is in this response. */
  @Post('endpoints')
  @Access('endpoints')
  @ApiCreatedResponse({ type: CreatedEndpointResponse })
  @ApiErrors({
    400: 'Invalid input, or a URL the SSRF guard refuses (the message says how to allow it)',
    409: 'WEBHOOK_MAX_ENDPOINTS_PER_KEY or WEBHOOK_MAX_ENDPOINTS reached',
  })
  create(
    @CurrentPrincipal() principal: Principal | undefined,
    @Body() body: CreateEndpointDto,
  ): Promise<CreatedEndpointResponse> {
    return this.endpoints.create(caller(principal), body);
  }

  /** The endpoints this key registered (every endpoint, for an admin key). */
  @Get('endpoints')
  @Access('endpoints')
  @ApiOkResponse({ type: [EndpointResponse] })
  list(@CurrentPrincipal() principal: Principal | undefined): Promise<EndpointResponse[]> {
    return this.endpoints.list(caller(principal));
  }

  /** One endpoint of this key. */
  @Get('endpoints/:id')
  @Access('endpoints')
  @ApiOkResponse({ type: EndpointResponse })
  @ApiErrors({ 404: "No such endpoint, or another key's" })
  get(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<EndpointResponse> {
    return this.endpoints.get(caller(principal), id);
  }

  /** Change an endpoint's URL, description, event types, or enable and disable it. */
  @Patch('endpoints/:id')
  @Access('endpoints')
  @ApiOkResponse({ type: EndpointResponse })
  @ApiErrors({ 400: 'Invalid input, or a URL the SSRF guard refuses', 404: "No such endpoint, or another key's" })
  update(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Body() body: UpdateEndpointDto,
  ): Promise<EndpointResponse> {
    return this.endpoints.update(caller(principal), id, body);
  }

  /** Delete an endpoint and its deliveries. */
  @Delete('endpoints/:id')
  @HttpCode(204)
  @Access('endpoints')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 404: "No such endpoint, or another key's" })
  async remove(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<void> {
    await this.endpoints.remove(caller(principal), id);
  }

  /** A new signing secret; the old one keeps signing too for WEBHOOK_SECRET_GRACE. */
  @Post('endpoints/:id/rotate-secret')
  @HttpCode(200)
  @Access('endpoints')
  @ApiOkResponse({ type: SecretResponse })
  @ApiErrors({ 404: "No such endpoint, or another key's" })
  rotateSecret(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<SecretResponse> {
    return this.endpoints.rotateSecret(caller(principal), id);
  }

  /** The endpoint's current signing secret. */
  @Get('endpoints/:id/secret')
  @Access('endpoints')
  @ApiOkResponse({ type: SecretResponse })
  @ApiErrors({ 404: "No such endpoint, or another key's" })
  secret(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<SecretResponse> {
    return this.endpoints.secret(caller(principal), id);
  }

  /** Send a `webhook.test` event to this endpoint only. */
  @Post('endpoints/:id/test')
  @HttpCode(202)
  @Access('endpoints')
  @ApiAcceptedResponse({ type: TestSentResponse })
  @ApiErrors({ 404: "No such endpoint, or another key's", 409: 'The endpoint is disabled' })
  sendTest(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<TestSentResponse> {
    return this.endpoints.sendTest(caller(principal), id);
  }

  /** The endpoint's deliveries, newest first, each with its newest 20 attempts. */
  @Get('endpoints/:id/deliveries')
  @Access('endpoints')
  @ApiOkResponse({ type: [DeliveryWithAttemptsResponse] })
  @ApiErrors({ 404: "No such endpoint, or another key's" })
  deliveriesOf(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<DeliveryWithAttemptsResponse[]> {
    return this.deliveries.list(caller(principal), id, { status: query.status, before: query.before, limit: query.limit ?? 100 });
  }

  /** Every attempt of a delivery, newest first, a page at a time. */
  @Get('deliveries/:id/attempts')
  @Access('endpoints')
  @ApiOkResponse({ type: AttemptPageResponse })
  @ApiErrors({ 404: "No such delivery, or another key's" })
  attemptsOf(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Query() query: ListAttemptsQuery,
  ): Promise<AttemptPageResponse> {
    return this.deliveries.attempts(caller(principal), id, { before: query.before, limit: query.limit ?? 20 });
  }

  /** The signed request of a delivery's latest attempt (URL, headers, body), e.g. to replay it with curl. */
  @Get('deliveries/:id/request')
  @Access('endpoints')
  @ApiOkResponse({ type: DeliveryRequestResponse })
  @ApiErrors({ 404: "No such delivery, or another key's" })
  requestOf(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<DeliveryRequestResponse> {
    return this.deliveries.request(caller(principal), id);
  }

  /** Queue a delivery again now, whatever its status, with a fresh retry schedule. */
  @Post('deliveries/:id/retry')
  @HttpCode(202)
  @Access('endpoints')
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiErrors({ 404: "No such delivery, or another key's", 409: 'Being attempted right now, or its endpoint is disabled' })
  retry(@CurrentPrincipal() principal: Principal | undefined, @Param('id') id: string): Promise<DeliveryResponse> {
    return this.deliveries.retry(caller(principal), id);
  }

  /** Queue again every failed delivery of the endpoint created at or after `since`. */
  @Post('endpoints/:id/recover')
  @HttpCode(202)
  @Access('endpoints')
  @ApiAcceptedResponse({ type: RecoveredResponse })
  @ApiErrors({ 404: "No such endpoint, or another key's" })
  recover(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Body() body: RecoverDto,
  ): Promise<RecoveredResponse> {
    return this.deliveries.recover(caller(principal), id, body.since);
  }

  /** Send every event of a window that the endpoint's filter matches again, as new deliveries with their original webhook-ids. */
  @Post('endpoints/:id/replay')
  @HttpCode(202)
  @Access('endpoints')
  @ApiAcceptedResponse({ type: ReplayedResponse })
  @ApiErrors({
    400: 'since/until not RFC 3339, until not after since, or an unknown event type',
    404: "No such endpoint, or another key's",
    409: 'More than 10,000 matching events (split the window), or the endpoint is disabled',
  })
  replay(
    @CurrentPrincipal() principal: Principal | undefined,
    @Param('id') id: string,
    @Body() body: ReplayDto,
  ): Promise<ReplayedResponse> {
    return this.deliveries.replay(caller(principal), id, body);
  }

  /** Per endpoint over the last 24 h: success rate, p50/p99 latency, backlog, last error. */
  @Get('stats')
  @Access('admin')
  @ApiOkResponse({ type: [EndpointStatsResponse] })
  stats(): Promise<EndpointStatsResponse[]> {
    return this.deliveries.stats();
  }
}
