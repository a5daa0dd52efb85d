import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { InvalidInputError, UnauthorizedError } from '../common/errors';
import { InboundWebhookVerifier, readPaymentEvent } from './inbound-webhook';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const verifier = new InboundWebhookVerifier(secret);

function signed(body: string, { id = 'msg_1', at = Math.floor(Date.now() / 1000), key = secret } = {}) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': new Webhook(key).sign(id, new Date(at * 1000), body),
  };
}

const payment = (data: Record<string, unknown>) => JSON.stringify({ type: 'payment.succeeded', data });
const valid = { paymentId: 'pi_1', guestId: 'gst_1', amount: 100, currency: 'EUR' };

describe('InboundWebhookVerifier', () => {
  const body = payment(valid);

  it('returns the webhook-id of a correctly signed request', () => {
    expect(verifier.verify(Buffer.from(body), signed(body, { id: 'msg_42' }))).toBe('msg_42');
  });

  it('accepts timestamps up to 5 minutes off and refuses older or newer ones', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(() => verifier.verify(Buffer.from(body), signed(body, { at: now - 290 }))).not.toThrow();
    expect(() => verifier.verify(Buffer.from(body), signed(body, { at: now + 290 }))).not.toThrow();
    expect(() => verifier.verify(Buffer.from(body), signed(body, { at: now - 310 }))).toThrow(/Stale/);
    expect(() => verifier.verify(Buffer.from(body), signed(body, { at: now + 310 }))).toThrow(/Stale/);
  });

  it('refuses another secret, other bytes and timestamps that are not plain digits', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(() => verifier.verify(Buffer.from(body), signed(body, { key: other }))).toThrow(UnauthorizedError);
    expect(() => verifier.verify(Buffer.from(` ${body}`), signed(body))).toThrow(UnauthorizedError);
    const headers = signed(body);
    expect(() =>
      verifier.verify(Buffer.from(body), { ...headers, 'webhook-timestamp': `${headers['webhook-timestamp']}.0` }),
    ).toThrow(/Unix time/);
    expect(() => verifier.verify(Buffer.from(body), { ...headers, 'webhook-id': undefined })).toThrow(/Missing/);
  });
});

describe('readPaymentEvent', () => {
  it('reads the four fields of payment.succeeded and drops everything else', () => {
    const raw = `{"type":"payment.succeeded","data":${JSON.stringify({ ...valid, card: 'visa' }).slice(0, -1)},"__proto__":{"amount":1}}}`;
    const event = readPaymentEvent('msg_1', Buffer.from(raw));
    expect(event).toEqual({ kind: 'payment', webhookId: 'msg_1', data: valid });
  });

  it('ignores other types without looking at their data', () => {
    expect(readPaymentEvent('msg_1', Buffer.from('{"type":"payment.failed","data":42}'))).toEqual({
      kind: 'ignored',
      webhookId: 'msg_1',
      type: 'payment.failed',
    });
  });

  it('names each invalid field', () => {
    try {
      readPaymentEvent('msg_1', Buffer.from(payment({ ...valid, amount: 0, currency: 'usd' })));
      throw new Error('expected an InvalidInputError');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).details.map((issue) => issue.field).sort()).toEqual(['data.amount', 'data.currency']);
    }
  });

  it('refuses bodies that are not UTF-8 JSON objects', () => {
    for (const raw of [Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from('{"type":'), Buffer.from('[1]'), Buffer.from('')]) {
      expect(() => readPaymentEvent('msg_1', raw)).toThrow(InvalidInputError);
    }
  });
});
