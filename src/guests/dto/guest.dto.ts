import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
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
import { GuestSnapshot } from '../../events/event-data';
import { GUEST_STATUSES, type GuestStatus, LEAVE_REASONS, type LeaveReason } from '../guest.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const E164 = /^\+[1-9]\d{1,14}$/;

export class CheckInDto {
  @Transform(trim)
  @IsString()
  @Length(1, 80, { message: 'name must be 1 to 80 characters' })
  @ApiProperty({ minLength: 1, maxLength: 80, example: 'Anna' })
  name!: string;

  @IsInt({ message: 'partySize must be a whole number' })
  @Min(1)
  @Max(20)
  @ApiProperty({ minimum: 1, maximum: 20, example: 2 })
  partySize!: number;

  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  @ApiPropertyOptional({ type: String, nullable: true, example: 'anna@example.com' })
  email?: string | null;

  @IsOptional()
  @Matches(E164, { message: 'phone must be in E.164 format, e.g. +4915112345678' })
  @ApiPropertyOptional({ type: String, nullable: true, example: '+4915112345678' })
  phone?: string | null;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ default: false })
  marketingOptIn?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  notes?: string | null;
}

/** Any of the fields; null is accepted only where it removes a contact detail. */
export class UpdateGuestDto {
  @ValidateIf((_, value) => value !== undefined)
  @Transform(trim)
  @IsString()
  @Length(1, 80, { message: 'name must be 1 to 80 characters' })
  @ApiPropertyOptional({ minLength: 1, maxLength: 80 })
  name?: string;

  @ValidateIf((_, value) => value !== undefined)
  @IsInt({ message: 'partySize must be a whole number' })
  @Min(1)
  @Max(20)
  @ApiPropertyOptional({ minimum: 1, maximum: 20 })
  partySize?: number;

  /** An email address, or null to remove it. */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  @ApiPropertyOptional({ type: String, nullable: true })
  email?: string | null;

  /** An E.164 phone number, or null to remove it. */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Matches(E164, { message: 'phone must be in E.164 format, e.g. +4915112345678' })
  @ApiPropertyOptional({ type: String, nullable: true })
  phone?: string | null;

  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  @ApiPropertyOptional()
  marketingOptIn?: boolean;
}

export class SeatGuestDto {
  @IsString()
  @Length(1, 64)
  @ApiProperty({ example: 'tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ' })
  tableId!: string;
}

export class NotifyGuestDto {
  /** A free table that fits the party, held for them until the hold ends. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @ApiPropertyOptional({ example: 'tbl_01JD5Z4Q2V8N7T3K9M6B1C0XYZ' })
  tableId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 160, { message: 'message must be 1 to 160 characters' })
  @ApiPropertyOptional({ minLength: 1, maxLength: 160, example: 'Your table by the window is ready.' })
  message?: string;
}

export class LeaveDto {
  @IsOptional()
  @IsIn(LEAVE_REASONS, { message: `reason must be one of ${LEAVE_REASONS.join(', ')}` })
  @ApiPropertyOptional({ enum: LEAVE_REASONS, description: 'Default: cancelled when waiting, finished when seated' })
  reason?: LeaveReason;
}

export class ListGuestsQuery {
  @IsOptional()
  @IsIn(GUEST_STATUSES, { message: `status must be one of ${GUEST_STATUSES.join(', ')}` })
  @ApiPropertyOptional({ enum: GUEST_STATUSES })
  status?: GuestStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  limit?: number;
}

export class GuestResponse extends GuestSnapshot {}

export class CheckedInGuestResponse extends GuestSnapshot {
  /** Send as `X-Guest-Token` to act on this guest; shown only here. */
  @ApiProperty() token!: string;
}
