import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsRfc3339 } from '../../common/rfc3339';
import { DOMAIN_EVENT_TYPES } from '../../events/domain-events';
import { ENDPOINT_HEALTH, type EndpointHealthName } from '../circuit-breaker';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../delivery.entity';
import { ORDERING_MODES, type OrderingMode } from '../ordering';
import { SIGNING_SCHEMES, type SigningScheme } from '../signing';
import { OPERATIONAL_EVENT_TYPES } from '../webhook-events';
import { RATE_LIMIT_MAX, RATE_LIMIT_MIN } from '../rate-limit';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** What an endpoint may subscribe to: the domain events, and the operational ones (only when listed). */
const SUBSCRIBABLE_TYPES: string[] = [...DOMAIN_EVENT_TYPES, ...OPERATIONAL_EVENT_TYPES];
const EVENT_TYPES_MESSAGE = `eventTypes must be among ${SUBSCRIBABLE_TYPES.join(', ')}`;
const SIGNING_MESSAGE = `signing must be one of ${SIGNING_SCHEMES.join(', ')}`;
const ORDERING_MESSAGE = `ordering must be one of ${ORDERING_MODES.join(', ')}`;
const ORDERING_DESCRIPTION =
  '`per_guest`: events about one guest (or one table without a guest) reach the endpoint strictly in feed order, the next only after the previous one succeeded or ended `failed`; other guests are not held back. `none`: no ordering constraint';
const SIGNING_DESCRIPTION =
  '`hmac`: Standard Webhooks `v1,` (HMAC-SHA256, a `whsec_` secret); `ed25519`: `v1a,` (Ed25519, verify with the `whpk_` public key from …/secret)';

const RATE_LIMIT_MESSAGE = `rateLimitPerSecond must be null or an integer from ${RATE_LIMIT_MIN} to ${RATE_LIMIT_MAX}`;
const RATE_LIMIT_DESCRIPTION =
  'Attempts per second to this endpoint over all instances (at most 10 % over in any 5 s window); null: no limit. ' +
  '429, 502 and 504 answers also slow an endpoint down for a while, with or without a limit';

/** `rateLimitPerSecond`, the same on creation and PATCH: null clears it. */
function RateLimitPerSecond(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsInt({ message: RATE_LIMIT_MESSAGE })(target, key);
    Min(RATE_LIMIT_MIN, { message: RATE_LIMIT_MESSAGE })(target, key);
    Max(RATE_LIMIT_MAX, { message: RATE_LIMIT_MESSAGE })(target, key);
    ApiPropertyOptional({
      type: Number,
      nullable: true,
      minimum: RATE_LIMIT_MIN,
      maximum: RATE_LIMIT_MAX,
      description: RATE_LIMIT_DESCRIPTION,
    })(target, key);
  };
}

export class CreateEndpointDto {
  @Transform(trim)
  @IsString()
  @Length(1, 2048)
  @ApiProperty({ example: 'https://crm.example.com/hooks/maitred' })
  url!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ type: String, nullable: true })
  description?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsIn(SUBSCRIBABLE_TYPES, { each: true, message: EVENT_TYPES_MESSAGE })
  @ApiPropertyOptional({
    type: [String],
    enum: SUBSCRIBABLE_TYPES,
    description: 'Event types to receive; empty or absent means every domain event (operational ones only when listed)',
  })
  eventTypes?: string[];

  @IsOptional()
  @IsIn(SIGNING_SCHEMES, { message: SIGNING_MESSAGE })
  @ApiPropertyOptional({ enum: SIGNING_SCHEMES, default: 'hmac', description: SIGNING_DESCRIPTION })
  signing?: SigningScheme;

  @RateLimitPerSecond()
  rateLimitPerSecond?: number | null;
  @IsOptional()
  @IsIn(ORDERING_MODES, { message: ORDERING_MESSAGE })
  @ApiPropertyOptional({ enum: ORDERING_MODES, default: 'none', description: ORDERING_DESCRIPTION })
  ordering?: OrderingMode;
}

export class UpdateEndpointDto {
  @ValidateIf((_, value) => value !== undefined)
  @Transform(trim)
  @IsString()
  @Length(1, 2048)
  @ApiPropertyOptional()
  url?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ type: String, nullable: true })
  description?: string | null;

  @ValidateIf((_, value) => value !== undefined)
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsIn(SUBSCRIBABLE_TYPES, { each: true, message: EVENT_TYPES_MESSAGE })
  @ApiPropertyOptional({
    type: [String],
    enum: SUBSCRIBABLE_TYPES,
    description: 'Event types to receive; empty means every domain event (operational ones only when listed)',
  })
  eventTypes?: string[];

  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  @ApiPropertyOptional()
  enabled?: boolean;

  @ValidateIf((_, value) => value !== undefined)
  @IsIn(SIGNING_SCHEMES, { message: SIGNING_MESSAGE })
  @ApiPropertyOptional({
    enum: SIGNING_SCHEMES,
    description: `${SIGNING_DESCRIPTION}. A change makes new material; the old keeps signing alongside for WEBHOOK_SECRET_GRACE`,
  })
  signing?: SigningScheme;

  @RateLimitPerSecond()
  rateLimitPerSecond?: number | null;
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(ORDERING_MODES, { message: ORDERING_MESSAGE })
  @ApiPropertyOptional({
    enum: ORDERING_MODES,
    description: `${ORDERING_DESCRIPTION}. A change applies to deliveries written after it`,
  })
  ordering?: OrderingMode;
}

export class EndpointResponse {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: [String] }) eventTypes!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true }) disabledReason!: string | null;
  @ApiProperty({ enum: SIGNING_SCHEMES, description: SIGNING_DESCRIPTION }) signing!: SigningScheme;
  @ApiProperty({
    enum: ENDPOINT_HEALTH,
    description:
      'Read-only. `failing`: its latest attempts failed. `paused`: its circuit breaker is open after 5 consecutive failed ' +
      'attempts (WEBHOOK_BREAKER_AFTER): no attempt is made until `nextProbeAt` (a cool-down of 30 s, doubling on each ' +
      're-open up to 10 min), then one probe attempt; its success closes the breaker. Paused deliveries wait without using up retries.',
  })
  health!: EndpointHealthName;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Read-only, RFC 3339. While `paused`: when the next probe attempt may be made (while a probe is in flight, the end of its lease). Null otherwise.',
  })
  nextProbeAt!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: RATE_LIMIT_MIN,
    maximum: RATE_LIMIT_MAX,
    description: RATE_LIMIT_DESCRIPTION,
  })
  rateLimitPerSecond!: number | null;
  @ApiProperty({ enum: ORDERING_MODES, description: ORDERING_DESCRIPTION }) ordering!: OrderingMode;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

/** What an integrator may see of an endpoint's signing material: one of the two fields, by its `signing`. */
export class SecretResponse {
  @ApiPropertyOptional({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'For `hmac` endpoints: the HMAC secret',
  })
  secret?: string;
  @ApiPropertyOptional({
    example: 'whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
    description: 'For `ed25519` endpoints: base64 of the raw 32-byte public key to verify `v1a` signatures with',
  })
  publicKey?: string;
}

export class CreatedEndpointResponse extends EndpointResponse {
  @ApiPropertyOptional({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'For `hmac` endpoints' })
  secret?: string;
  @ApiPropertyOptional({ example: 'whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=', description: 'For `ed25519` endpoints' })
  publicKey?: string;
}

export class ListDeliveriesQuery {
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  status?: DeliveryStatus;

  @IsOptional()
  @IsString()
  @ApiPropertyOptional({ description: 'Return deliveries older than this delivery id' })
  before?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  limit?: number;
}

export class RecoverDto {
  @IsRfc3339()
  @ApiProperty({
    example: '2026-11-28T00:00:00Z',
    format: 'date-time',
    description: "An RFC 3339 date-time, compared with each delivery's `createdAt`",
  })
  since!: string;
}

export class ReplayDto {
  @IsRfc3339()
  @ApiProperty({
    example: '2026-11-28T00:00:00Z',
    format: 'date-time',
    description: 'Replay events whose `timestamp` is at or after this',
  })
  since!: string;

  @IsOptional()
  @IsRfc3339()
  @ApiPropertyOptional({ format: 'date-time', description: 'Up to and including this time (default now); after `since`' })
  until?: string;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsIn(DOMAIN_EVENT_TYPES, { each: true, message: `eventTypes must be among ${DOMAIN_EVENT_TYPES.join(', ')}` })
  @ApiPropertyOptional({
    type: [String],
    enum: DOMAIN_EVENT_TYPES,
    description: "Only these types (within the endpoint's own filter); absent means every type the endpoint receives",
  })
  eventTypes?: string[];
}

export class ReplayedResponse {
  @ApiProperty({ description: 'How many events were queued again, each as a new delivery with its original webhook-id' })
  count!: number;
}

export class RecoveredResponse {
  @ApiProperty({ description: 'How many failed deliveries were queued again' }) count!: number;
}

export class TestSentResponse {
  @ApiProperty({ example: 'evt_01JD5Z4Q2V8N7T3K9M6B1C0XYZ', description: 'The test event id (its webhook-id)' }) eventId!: string;
}

export class AttemptResponse {
  @ApiProperty() at!: string;
  @ApiProperty({ type: Number, nullable: true }) statusCode!: number | null;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, nullable: true }) responseBody!: string | null;
}

export class DeliveryResponse {
  @ApiProperty() id!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() endpointId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty() attemptCount!: number;
  @ApiProperty({ type: String, nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) deliveredAt!: string | null;
}

export class DeliveryWithAttemptsResponse extends DeliveryResponse {
  @ApiProperty({
    type: [AttemptResponse],
    description: 'The newest 20 attempts, oldest of them first; page the rest with GET /api/webhooks/deliveries/{id}/attempts',
  })
  attempts!: AttemptResponse[];
  @ApiProperty({ description: 'How many attempts the delivery has in all' }) attemptsTotal!: number;
}

export class ListAttemptsQuery {
  @IsOptional()
  @IsString()
  @Matches(/^[1-9]\d{0,14}$/, { message: 'before must be the `next` cursor of a previous page' })
  @ApiPropertyOptional({ description: 'The `next` cursor of the previous page: return attempts older than it' })
  before?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  limit?: number;
}

export class AttemptPageResponse {
  @ApiProperty({ type: [AttemptResponse], description: 'Newest first' }) data!: AttemptResponse[];
  @ApiProperty({ description: 'How many attempts the delivery has in all' }) attemptsTotal!: number;
  @ApiProperty({ type: String, nullable: true, description: '`before` for the next (older) page; null when there is none' })
  next!: string | null;
}

export class EventTypeResponse {
  @ApiProperty() type!: string;
  @ApiProperty() description!: string;
  @ApiProperty({
    description: 'About the webhook system itself: sent only to endpoints of the same key that list it, never in /api/events',
  })
  operational!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of `data`' })
  schema!: Record<string, unknown>;
}

export class EndpointStatsResponse {
  @ApiProperty() endpointId!: string;
  @ApiProperty() url!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({
    description: 'Successful attempts / all attempts in the last 24 h (null without attempts)',
    type: Number,
    nullable: true,
  })
  successRate!: number | null;
  @ApiProperty({ type: Number, nullable: true }) p50LatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true }) p99LatencyMs!: number | null;
  @ApiProperty({ description: 'Pending deliveries' }) backlog!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastErrorAt!: string | null;
  @ApiProperty() attempts24h!: number;
}

export class DeliveryRequestResponse {
  @ApiProperty({ enum: ['POST'] }) method!: 'POST';
  @ApiProperty() url!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'content-type, user-agent, webhook-id, webhook-timestamp (of the latest attempt) and webhook-signature',
  })
  headers!: Record<string, string>;
  @ApiProperty({ description: 'The exact bytes signed and sent' }) body!: string;
}
