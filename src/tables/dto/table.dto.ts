import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { TABLE_STATUSES, type TableStatus } from '../table.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateTableDto {
  @Transform(trim)
  @IsString()
  @Length(1, 80)
  label!: string;

  @IsInt()
  @Min(1)
  @Max(20)
  capacity!: number;
}

export const STAFF_SETTABLE_STATUSES = ['free', 'reserved', 'cleaning'] as const;

export class UpdateTableDto {
  @IsIn(STAFF_SETTABLE_STATUSES, { message: 'status must be one of free, reserved, cleaning' })
  @ApiProperty({ enum: STAFF_SETTABLE_STATUSES })
  status!: (typeof STAFF_SETTABLE_STATUSES)[number];
}

export class TableResponse {
  @ApiProperty() id!: string;
  @ApiProperty() label!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ enum: TABLE_STATUSES }) status!: TableStatus;
  @ApiProperty({ type: String, nullable: true, required: false, description: 'Only for staff' })
  guestId?: string | null;
}
