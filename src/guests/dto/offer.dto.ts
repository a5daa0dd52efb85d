import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { OfferSnapshot } from '../../events/event-data';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateOfferDto {
  @Transform(trim)
  @IsString()
  @Length(1, 120, { message: 'title must be 1 to 120 characters' })
  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Your first drink is on us' })
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  description?: string | null;
}

export class OfferResponse extends OfferSnapshot {}
