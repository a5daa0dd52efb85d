import { ApiProperty } from '@nestjs/swagger';

/** `data` of the `webhook.test` event, sent only to the endpoint it was requested for. */
export class WebhookTest {
  @ApiProperty() endpointId!: string;
  @ApiProperty() message!: string;
}

export const WEBHOOK_TEST_TYPE = 'webhook.test';

/** `data` of `endpoint.disabled`: an endpoint of the same key stopped receiving webhooks. */
export class EndpointDisabled {
  @ApiProperty({ example: 'ep_01JD5Z4Q2V8N7T3K9M6B1C0XYZ' }) endpointId!: string;
  @ApiProperty({ example: 'key_revoked', description: 'Why: `key_revoked`, 410 Gone, a long failing streak, or its owner' })
  reason!: string;
}

/** `data` of `delivery.exhausted`: a delivery to an endpoint of the same key ended `failed`. */
export class DeliveryExhausted {
  @ApiProperty() endpointId!: string;
  @ApiProperty() deliveryId!: string;
  @ApiProperty({ description: 'The event the delivery carried (its webhook-id)' }) eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ description: 'How many attempts the delivery made in all' }) attempts!: number;
}

/**
 * Operational events: about the webhook system itself, not the floor. They are sent only to
 * endpoints of the same API key that list the type explicitly (never through an empty filter),
 * and are never in the events feed: each delivery row carries its own body (like webhook.test).
 */
export interface OperationalEvents {
  'endpoint.disabled': EndpointDisabled;
  'delivery.exhausted': DeliveryExhausted;
}

export type OperationalEventType = keyof OperationalEvents;

export const OPERATIONAL_EVENT_CLASSES: { [K in OperationalEventType]: new () => OperationalEvents[K] } = {
  'endpoint.disabled': EndpointDisabled,
  'delivery.exhausted': DeliveryExhausted,
};

export const OPERATIONAL_EVENT_DESCRIPTIONS: Record<OperationalEventType, string> = {
  'endpoint.disabled':
    'Operational: another endpoint of your key was disabled. Only to endpoints that list this type; not in /api/events.',
  'delivery.exhausted':
    'Operational: a delivery to an endpoint of your key ended `failed` (retries used up, 410 Gone). Only to endpoints that list this type; not in /api/events.',
};

export const OPERATIONAL_EVENT_TYPES = Object.keys(OPERATIONAL_EVENT_CLASSES) as OperationalEventType[];

export function isOperationalEventType(value: string): value is OperationalEventType {
  return Object.prototype.hasOwnProperty.call(OPERATIONAL_EVENT_CLASSES, value);
}
