import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/** RFC 3339 date-time: a full date, `T` (or a space, as RFC 3339 allows), a time, and an offset. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = RFC3339.exec(value);
  if (!match) return false;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Second 60 is a leap second, which Date cannot hold; nobody needs one for "seated since".
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return false;
  return Number.isFinite(Date.parse(value.replace(' ', 'T')));
}

@ValidatorConstraint({ name: 'rfc3339' })
class Rfc3339Constraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isRfc3339(value);
  }

  defaultMessage(): string {
    return 'since must be an RFC 3339 date-time such as 2026-12-01T17:00:00Z';
  }
}

export class AccuracyQuery {
  @IsOptional()
  @IsString()
  @Validate(Rfc3339Constraint)
  @ApiPropertyOptional({
    description: 'Only guests seated at or after this RFC 3339 date-time (all when omitted)',
    example: '2026-12-01T00:00:00Z',
  })
  since?: string;
}

export class CapacityAccuracy {
  @ApiProperty({ minimum: 0 }) seated!: number;
  @ApiProperty({ type: Number, nullable: true }) meanAbsoluteErrorMinutes!: number | null;
}

export class AccuracyResponse {
  @ApiProperty({ minimum: 0, description: 'Guests seated in the period with a kept quote' }) seated!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean of |actual − quoted at check-in|, minutes (2 decimals)' })
  meanAbsoluteErrorMinutes!: number | null;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'Share off by at most 5 minutes' })
  withinFiveMinutesShare!: number | null;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'Share that waited longer than quoted' })
  underQuotedShare!: number | null;
  @ApiProperty({
    type: 'object',
    description: 'By the size of the table they were seated at',
    additionalProperties: { $ref: '#/components/schemas/CapacityAccuracy' },
  })
  byCapacity!: Record<string, CapacityAccuracy>;
}
