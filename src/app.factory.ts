import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig, loadConfig } from './config/app-config';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { requestIdMiddleware } from './common/request-id';
import { AppValidationPipe } from './common/validation.pipe';
import { INBOUND_PAYMENTS_PATH, inboundRawBody } from './payments/raw-body.middleware';
import { PostgresIoAdapter } from './realtime/postgres-io.adapter';
import { ErrorResponse } from './common/openapi/error-response';
import { MetricsService } from './metrics/metrics.service';
import { TracingService } from './tracing/tracing.service';
import { refineDocument } from './common/openapi/refine-document';
import { DOMAIN_EVENT_CLASSES, DOMAIN_EVENT_DESCRIPTIONS, DOMAIN_EVENT_TYPES } from './events/domain-events';
import { CATALOGUE_MODELS, EventCatalogueService } from './webhooks/event-catalogue.service';
import {
  OPERATIONAL_EVENT_CLASSES,
  OPERATIONAL_EVENT_DESCRIPTIONS,
  OPERATIONAL_EVENT_TYPES,
  WEBHOOK_TEST_TYPE,
  WebhookTest,
} from './webhooks/webhook-events';

export const BODY_LIMIT = '64kb';

/**
 * The pages load only their own bundled scripts (no inline script, no eval), so a script slipped
 * into a page cannot run and read the keys a tab keeps. Styles may be inline (React style props,
 * Swagger UI). No upgrade-insecure-requests: the demo is reached over plain http on a LAN address.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
};

export interface CreatedApp {
  app: NestExpressApplication;
  config: AppConfig;
}

/**
 * Builds the whole application from an environment (process.env in production, a test's
 * own record in tests): validated config, HTTP hardening, the error shape, OpenAPI.
 */
export async function createApp(env: Record<string, string | undefined> = process.env): Promise<CreatedApp> {
  const config = loadConfig(env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    bufferLogs: true,
    bodyParser: false,
    rawBody: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);

  if (config.isPostgres) app.useWebSocketAdapter(new PostgresIoAdapter(app, config.databaseUrl));
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // First, so the request's duration counts everything after it (the metrics switch is read once, here).
  const metrics = app.get(MetricsService);
  if (metrics.enabled) app.use(metrics.httpMiddleware);
  app.use(requestIdMiddleware);
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(INBOUND_PAYMENTS_PATH, inboundRawBody(BODY_LIMIT));
  app.useBodyParser('json', { limit: BODY_LIMIT, strict: true });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  // After the body parsers: their stream callbacks run outside the request's async context.
  app.use(app.get(TracingService).middleware);
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(new AppValidationPipe());
  app.enableCors({ origin: true, exposedHeaders: ['x-request-id', 'Idempotent-Replayed'] });
  setUpOpenApi(app);
  return { app, config };
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Maitred')
      .setDescription(
        'Restaurant check-in, waitlist, live floor and webhooks. Errors share one shape: ' +
          '{ statusCode, error, message, details: [{ field, message }], requestId }.',
      )
      .setVersion('0.1.0')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      // addBearerAuth() would say bearerFormat JWT; Maitred's keys are opaque `mtr_…` strings.
      .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: 'An API key (`mtr_…`): Authorization: Bearer <key>' })
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Guest-Token',
          description: "A guest's token, from check-in; only on that guest's routes",
        },
        'guest-token',
      )
      .build(),
    { extraModels: [...CATALOGUE_MODELS, ErrorResponse] },
  );
  // The webhook event catalogue publishes the same generated schemas as the API docs (before the
  // document's refinements, which are OpenAPI-only).
  app.get(EventCatalogueService).loadFromOpenApi(structuredClone(document.components?.schemas ?? {}));
  const domainEvents = DOMAIN_EVENT_TYPES.map((type) => ({
    type,
    dataSchema: DOMAIN_EVENT_CLASSES[type].name,
    description: DOMAIN_EVENT_DESCRIPTIONS[type],
  }));
  refineDocument(document, {
    unionSchema: 'EventDto',
    types: domainEvents,
    webhooks: [
      ...domainEvents,
      {
        type: WEBHOOK_TEST_TYPE,
        dataSchema: WebhookTest.name,
        description: 'A test event, sent only to the endpoint it was requested for.',
      },
      ...OPERATIONAL_EVENT_TYPES.map((type) => ({
        type,
        dataSchema: OPERATIONAL_EVENT_CLASSES[type].name,
        description: OPERATIONAL_EVENT_DESCRIPTIONS[type],
      })),
    ],
  });
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
