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

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const EVENT_TYPES_MESSAGE = `eventTypes must be among ${DOMAIN_EVENT_TYPES.join(', ')}`;

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
  @IsIn(DOMAIN_EVENT_TYPES, { each: true, message: EVENT_TYPES_MESSAGE })
  @ApiPropertyOptional({
    type: [String],
    enum: DOMAIN_EVENT_TYPES,
    description: 'Event types to receive; empty or absent means all',
  })
  eventTypes?: string[];
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
  @IsIn(DOMAIN_EVENT_TYPES, { each: true, message: EVENT_TYPES_MESSAGE })
  @ApiPropertyOptional({ type: [String], enum: DOMAIN_EVENT_TYPES, description: 'Event types to receive; empty means all' })
  eventTypes?: string[];

  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  @ApiPropertyOptional()
  enabled?: boolean;
}

export class EndpointResponse {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: [String] }) eventTypes!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true }) disabledReason!: string | null;
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
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreatedEndpointResponse extends EndpointResponse {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) secret!: string;
}

export class SecretResponse {
  @ApiProperty() secret!: string;
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
