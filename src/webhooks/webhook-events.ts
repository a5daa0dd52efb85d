import { ApiProperty } from '@nestjs/swagger';

/** `data` of the `webhook.test` event, sent only to the endpoint it was requested for. */
export class WebhookTest {
  @ApiProperty() endpointId!: string;
  @ApiProperty() message!: string;
}

export const WEBHOOK_TEST_TYPE = 'webhook.test';
