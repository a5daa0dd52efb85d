import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayUnique, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DOMAIN_EVENT_TYPES, DomainEventType } from '../domain-events';

export class FeedQueryDto {
  /** Return events recorded after this event id. */
  @IsOptional()
  @IsString()
  after?: string;

  /** Page size (default 100, max 500). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** Comma-separated event types to include. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((type) => type.trim())
          .filter(Boolean)
      : value,
  )
  @ArrayUnique()
  @IsIn(DOMAIN_EVENT_TYPES, { each: true, message: `types must be among ${DOMAIN_EVENT_TYPES.join(', ')}` })
  @ApiProperty({ required: false, type: [String], enum: DOMAIN_EVENT_TYPES, description: 'Event types to include' })
  types?: DomainEventType[];
}

/** One event; the OpenAPI document replaces this schema with the union of the catalogue's events, by `type`. */
export class EventDto {
  @ApiProperty() id!: string;
  @ApiProperty() type!: string;
  @ApiProperty() timestamp!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
}

export class FeedResponseDto {
  @ApiProperty({ type: [EventDto] }) data!: EventDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Cursor for the next page: the last returned id, or `after` when none',
  })
  next!: string | null;
}
