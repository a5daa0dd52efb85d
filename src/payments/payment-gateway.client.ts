import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { DomainError, ServiceUnavailableError } from '../common/errors';

/** How long a charge request may take, connect to last byte, before the gateway counts as unreachable. */
export const GATEWAY_TIMEOUT_MS = 5_000;
const RESPONSE_LIMIT = 16 * 1024;

/** The gateway answered, but not with an accepted charge (a 4xx, or a body without a paymentId). */
export class BadGatewayError extends DomainError {
  readonly status = 502;
}

export interface ChargeRequest {
  guestId: string;
  amount: number;
  currency: string;
}

/**
 * The payment gateway's API as Maitred uses it: `POST <PAYMENT_GATEWAY_URL>/charges` with an
 * Idempotency-Key, answered 2xx `{ paymentId }` once the gateway has taken the charge on. The
 * outcome arrives later as the gateway's signed webhook.
 */
@Injectable()
export class PaymentGatewayClient implements OnModuleDestroy {
  private readonly agent = new Agent({ connect: { timeout: GATEWAY_TIMEOUT_MS }, keepAliveTimeout: 10_000 });

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }

  async createCharge(gatewayUrl: string, charge: ChargeRequest, idempotencyKey: string): Promise<{ paymentId: string }> {
    const url = `${gatewayUrl.replace(/\/+$/, '')}/charges`;
    let statusCode: number;
    let text: string;
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(charge),
        headersTimeout: GATEWAY_TIMEOUT_MS,
        bodyTimeout: GATEWAY_TIMEOUT_MS,
        signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
      });
      statusCode = response.statusCode;
      text = await readLimited(response.body);
    } catch (error) {
      throw new ServiceUnavailableError(`The payment gateway is unreachable (${describe(error)}); try again shortly`);
    }
    if (statusCode >= 500 || statusCode === 429 || statusCode === 408) {
      throw new ServiceUnavailableError(`The payment gateway is unavailable (HTTP ${statusCode}); try again shortly`);
    }
    if (statusCode < 200 || statusCode >= 300) {
      throw new BadGatewayError(`The payment gateway refused the charge (HTTP ${statusCode})${gatewayMessage(text)}`);
    }
    const paymentId = parsePaymentId(text);
    if (paymentId === undefined) {
      throw new BadGatewayError('The payment gateway accepted the charge but did not say its paymentId');
    }
    return { paymentId };
  }
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > RESPONSE_LIMIT) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_LIMIT).toString('utf8');
}

function parsePaymentId(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { paymentId?: unknown } | null;
    const id = body?.paymentId;
    return typeof id === 'string' && id.length > 0 && id.length <= 255 ? id : undefined;
  } catch {
    return undefined;
  }
}

function gatewayMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown } | null;
    const message = typeof body?.message === 'string' ? body.message : typeof body?.error === 'string' ? body.error : undefined;
    return message ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    if (
      error.name === 'TimeoutError' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_CONNECT_TIMEOUT'
    ) {
      return `no answer within ${GATEWAY_TIMEOUT_MS / 1000} s`;
    }
    return typeof code === 'string' ? code : error.message;
  }
  return String(error);
}
