import { InitialSchema1732780800000 } from './1732780800000-initial-schema';
import { Webhooks1732867200000 } from './1732867200000-webhooks';
import { SocketIoAttachments1732953600000 } from './1732953600000-socket-io-attachments';
import { Payments1733040000000 } from './1733040000000-payments';
import { ServerSecrets1733126400000 } from './1733126400000-server-secrets';
import { WebhookAttemptFailures1733212800000 } from './1733212800000-webhook-attempt-failures';
import { QuoteAccuracy1733299200000 } from './1733299200000-quote-accuracy';
import { GuestPaging1733303000000 } from './1733303000000-guest-paging';
import { DropIdempotencyStatusCode1733307000000 } from './1733307000000-drop-idempotency-status-code';
import { EventTransactionIds1733310000000 } from './1733310000000-event-transaction-ids';
import { WebhookDueIndex1733320000000 } from './1733320000000-webhook-due-index';
import { EndpointSigningAndReplay1733400000000 } from './1733400000000-endpoint-signing-and-replay';
import { WebhookCircuitBreaker1733410000000 } from './1733410000000-webhook-circuit-breaker';
import { ErasureAndRetention1733500000000 } from './1733500000000-erasure-and-retention';
import { EventTraceContext1733510000000 } from './1733510000000-event-trace-context';
import { WebhookOrdering1733600000000 } from './1733600000000-webhook-ordering';
import { WebhookRateLimits1733610000000 } from './1733610000000-webhook-rate-limits';

/** Every migration in order; listed explicitly so the built app and the tests load the same set. */
export const MIGRATIONS = [
  InitialSchema1732780800000,
  Webhooks1732867200000,
  SocketIoAttachments1732953600000,
  Payments1733040000000,
  ServerSecrets1733126400000,
  WebhookAttemptFailures1733212800000,
  QuoteAccuracy1733299200000,
  GuestPaging1733303000000,
  DropIdempotencyStatusCode1733307000000,
  EventTransactionIds1733310000000,
  WebhookDueIndex1733320000000,
  EndpointSigningAndReplay1733400000000,
  WebhookCircuitBreaker1733410000000,
  ErasureAndRetention1733500000000,
  EventTraceContext1733510000000,
  WebhookOrdering1733600000000,
  WebhookRateLimits1733610000000,
];
