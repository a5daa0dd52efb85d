import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Access } from '../auth/access.decorator';
import { ChargeAccepted, ChargeDto, ListPaymentsQuery, PaymentResponse } from './dto/charge.dto';
import { ChargesService } from './charges.service';
import { PaymentsService } from './payments.service';

@ApiTags('payments')
@Controller('api/guests')
export class PaymentsController {
  constructor(
    private readonly charges: ChargesService,
    private readonly payments: PaymentsService,
  ) {}

  @Post(':id/charge')
  @HttpCode(202)
  @Access('staff')
  @ApiOperation({
    summary: "Take a seated guest's payment through the gateway",
    description:
      'Asks the gateway at PAYMENT_GATEWAY_URL to charge the guest and answers once it accepted; the payment ' +
      "is recorded, and the guest becomes `paid`, when the gateway's webhook arrives. 409 unless the guest is " +
      'seated and not yet paid, or while a charge of another amount is in progress (10 min); the same amount ' +
      'again returns the same paymentId. 503 when no gateway is configured or it is unreachable, 502 when it ' +
      'refuses the charge.',
  })
  @ApiAcceptedResponse({ type: ChargeAccepted })
  @ApiErrors(404, {
    409: 'Not seated, already paid, or another charge in progress',
    502: 'The gateway refused the charge',
    503: 'No gateway configured, or the gateway is unreachable',
  })
  charge(@Param('id') id: string, @Body() body: ChargeDto): Promise<ChargeAccepted> {
    return this.charges.charge(id, body.amount, body.currency);
  }

  /** The payments recorded for a guest, oldest first. */
  @Get(':id/payments')
  @Access('staff', 'guest')
  @ApiOkResponse({ type: [PaymentResponse] })
  @ApiErrors(404)
  list(@Param('id') id: string, @Query() query: ListPaymentsQuery): Promise<PaymentResponse[]> {
    return this.payments.list(id, query.limit ?? 100);
  }
}
