/**
 * The API's response shapes for the tests, from the same OpenAPI document the client's types come from
 * (client/src/lib/api.generated.ts), so a test names what it reads instead of reading `any`.
 */
import type { components } from '../../client/src/lib/api.generated';

export type Schemas = components['schemas'];

/** The one error shape (ErrorResponse in the document). */
export type ErrorBody = Schemas['ErrorResponse'];

export type Guest = Schemas['GuestResponse'];
export type CheckedInGuest = Schemas['CheckedInGuestResponse'];
export type Table = Schemas['TableResponse'];
export type Endpoint = Schemas['EndpointResponse'];
export type CreatedEndpoint = Schemas['CreatedEndpointResponse'];
export type Delivery = Schemas['DeliveryWithAttemptsResponse'];
export type EndpointStats = Schemas['EndpointStatsResponse'];
export type Feed = Schemas['FeedResponseDto'];
export type ApiKey = Schemas['ApiKeyResponse'];
export type CreatedApiKey = Schemas['CreatedApiKeyResponse'];
export type Offer = Schemas['OfferResponse'];
export type Payment = Schemas['PaymentResponse'];
export type Secret = Schemas['SecretResponse'];
/** POST …/test: the webhook.test event's id. */
export type TestSent = Schemas['TestSentResponse'];
/** POST …/recover: how many failed deliveries were queued again. */
export type Recovered = Schemas['RecoveredResponse'];
