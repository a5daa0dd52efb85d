import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

/** The largest amount the `integer` column holds on every dialect (PostgreSQL's is 32-bit). */
export const MAX_AMOUNT = 2_147_483_647;
export const CURRENCY = /^[A-Z]{3}$/;

/** `data` of a `payment.succeeded` webhook; other fields the gateway sends are ignored. */
export class PaymentSucceededData {
  @IsString()
  @Length(1, 255, { message: 'paymentId must be 1 to 255 characters' })
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'pi_3f9c2a7e' })
  paymentId!: string;

  @IsString()
  @Length(1, 64, { message: 'guestId must be 1 to 64 characters' })
  @ApiProperty({ example: 'gst_01JD5Z4Q2V8N7T3K9M6B1C0XYZ' })
  guestId!: string;

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

/** The body the gateway posts to /api/inbound/payments (documentation; it is parsed by hand after verification). */
export class PaymentWebhookBody {
  @ApiProperty({ example: 'payment.succeeded', description: 'Other types are acknowledged and ignored' })
  type!: string;

  @ApiProperty({ type: PaymentSucceededData })
  data!: PaymentSucceededData;
}

export class PaymentWebhookAck {
  @ApiProperty({ enum: [true] }) received!: true;
  @ApiProperty({ required: false, description: 'The payment or webhook-id was already recorded; nothing changed' })
  duplicate?: boolean;
  @ApiProperty({ required: false, description: 'Not a payment.succeeded event; nothing recorded' })
  ignored?: true;
}
