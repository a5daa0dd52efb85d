import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  // WebhooksModule: readiness asks whether this instance's dispatcher is running.
  imports: [WebhooksModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
