import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PaymentSnapshot } from '../../events/event-data';
import { CURRENCY, MAX_AMOUNT } from './payment-webhook.dto';

export class ChargeDto {
  @IsInt({ message: 'amount must be a whole number of minor units' })
  @Min(1, { message: 'amount must be positive' })
  @Max(MAX_AMOUNT)
  @ApiProperty({ minimum: 1, maximum: MAX_AMOUNT, description: 'Minor units (cents)', example: 4250 })
  amount!: number;

  @IsString()
  @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code of 3 capital letters' })
  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'EUR' })
  currency!: string;
}

export class ChargeAccepted {
  @ApiProperty({ description: "The gateway's id for the payment; the payment itself arrives later as its webhook" })
  paymentId!: string;
}

export class ListPaymentsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  limit?: number;
}

export class PaymentResponse extends PaymentSnapshot {}
