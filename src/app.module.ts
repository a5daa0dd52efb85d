import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ThrottlerModule } from '@nestjs/throttler';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { REDACTED_PATHS, withoutSqlDetails } from './common/log-safety';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { GuestsModule } from './guests/guests.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { MetricsModule } from './metrics/metrics.module';
import { PaymentsModule } from './payments/payments.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RetentionModule } from './retention/retention.module';
import { TablesModule } from './tables/tables.module';
import { TracingModule } from './tracing/tracing.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WebClientModule } from './web-client/web-client.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Typed as always set, but pino-http calls this before anything assigned it when no upstream did.
            genReqId: (request) => (request.id as typeof request.id | undefined) ?? 'unknown',
            autoLogging: {
              ignore: (request) =>
                request.url === '/health' || request.url === '/metrics' || request.url?.startsWith('/health/') === true,
            },
            redact: REDACTED_PATHS,
            // pino-http binds the serialized request to a child logger on every request, at any level
            // (even silent): with the standard serializers that meant stringifying and redacting every
            // header each time. A completion line needs only these few fields, taken straight off the
            // request (no wrapping copy); the error serializer is composed by hand for the same reason.
            wrapSerializers: false,
            serializers: {
              req: (request: IncomingMessage & { id?: unknown; originalUrl?: string }) => ({
                id: request.id,
                method: request.method,
                url: request.originalUrl ?? request.url,
                remoteAddress: request.socket.remoteAddress,
              }),
              res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
              err: (error: Error) => withoutSqlDetails(stdSerializers.err(error)),
            },
          },
        }),
        EventEmitterModule.forRoot({ wildcard: false, maxListeners: 50 }),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'checkin', ttl: 60_000, limit: Math.max(config.checkinRateLimit, 1) }],
          skipIf: () => config.checkinRateLimit === 0,
          errorMessage: `Too many check-ins from this address: at most ${config.checkinRateLimit} per minute`,
        }),
        TracingModule,
        DatabaseModule,
        EventsModule,
        AuthModule,
        IdempotencyModule,
        TablesModule,
        GuestsModule,
        PaymentsModule,
        WebhooksModule,
        RealtimeModule,
        RetentionModule,
        HealthModule,
        MetricsModule,
        WebClientModule.forRoot(),
      ],
    };
  }
}
