import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import type { Request } from 'express';
import { Access } from '../auth/access.decorator';
import { PaymentWebhookAck, PaymentWebhookBody } from './dto/payment-webhook.dto';
import { type InboundAck, PaymentsService } from './payments.service';

@ApiTags('payments')
@Controller('api/inbound/payments')
export class InboundPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @HttpCode(200)
  @Access('public')
  @ApiOperation({
    summary: "The payment gateway's webhook",
    description:
      'Standard Webhooks, signed with PAYMENT_WEBHOOK_SECRET over the raw body. 401 for a missing, wrong or ' +
      'stale (more than 5 min off) signature, with nothing recorded; then 400 for a bad body, 404 for an unknown ' +
      'guest. Idempotent on webhook-id and on paymentId. Other event types are acknowledged and ignored.',
  })
  @ApiHeader({ name: 'webhook-id', required: true })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Unix seconds' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'v1,<base64 HMAC-SHA256>, space-separated' })
  @ApiBody({ type: PaymentWebhookBody })
  @ApiOkResponse({ type: PaymentWebhookAck })
  @ApiErrors({
    400: 'The verified body is not a valid payment.succeeded event',
    401: 'Missing, wrong or stale signature',
    404: 'The payment names an unknown guest',
    503: 'PAYMENT_WEBHOOK_SECRET is not configured',
  })
  receive(@Req() request: Request): Promise<InboundAck> {
    // inboundRawBody() (app.factory) leaves the exact bytes in req.body; no body at all is empty.
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    return this.payments.receive(raw, request.headers);
  }
}
