import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Span, SpanContext, Tracer } from '@opentelemetry/api';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { NextFunction, Request, Response } from 'express';
import { attemptTraceparent, formatTraceparent, parseTraceparent, type TraceParent } from '../common/trace-context';
import { runWithTraceparent } from '../common/trace-scope';
import { AppConfig } from '../config/app-config';

/** What an attempt's span needs to know when it ends. */
export interface AttemptEnd {
  statusCode: number | null;
  /** null on success, else the failure kind. */
  error: string | null;
}

/** One webhook attempt's place in its trace: the header to send, and the end of its span. */
export interface AttemptSpan {
  traceparent: string;
  end(result: AttemptEnd): void;
}

/** The SDK's pieces, loaded only when traces are exported. */
interface Sdk {
  api: typeof import('@opentelemetry/api');
  provider: BasicTracerProvider;
  tracer: Tracer;
}

const NO_SPAN_END = (): void => undefined;

/**
 * Tracing: one trace from an API request through the events it records to every delivery attempt.
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, spans are made with the OpenTelemetry SDK and exported
 * over OTLP/HTTP (JSON); without it the SDK is never loaded, and the W3C traceparent is carried
 * by hand: the caller's is stored with the events, and each attempt sends a new span id in it.
 * Spans take their parent explicitly (no global context manager or tracer provider is
 * registered), so several apps in one process do not share state.
 */
@Injectable()
export class TracingService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Tracing');
  private sdk: Sdk | undefined;

  constructor(private readonly config: AppConfig) {}

  get exporting(): boolean {
    return this.sdk !== undefined;
  }

  async onModuleInit(): Promise<void> {
    const endpoint = this.config.otlpEndpoint;
    if (endpoint === undefined) return;
    const [api, { BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
      await Promise.all([
        import('@opentelemetry/api'),
        import('@opentelemetry/sdk-trace-base'),
        import('@opentelemetry/exporter-trace-otlp-http'),
        import('@opentelemetry/resources'),
      ]);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': this.config.otelServiceName }),
      // The batch's delay and sizes follow the SDK's OTEL_BSP_* variables.
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }))],
    });
    this.sdk = { api, provider, tracer: provider.getTracer('maitred') };
    this.logger.log(`exporting traces to ${endpoint}`);
  }

  /** Sends the spans still buffered before the process ends. */
  async onApplicationShutdown(): Promise<void> {
    await this.sdk?.provider.shutdown();
  }

  /**
   * Continues the caller's trace (a valid incoming traceparent) for everything the request does.
   * Registered after the body parsers, whose stream callbacks would lose the async context.
   */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const header = request.headers.traceparent;
    const parent = parseTraceparent(typeof header === 'string' ? header : undefined);
    const sdk = this.sdk;
    if (!sdk) {
      // Nothing to make: the caller's context is what the events store, as it came.
      if (parent) runWithTraceparent(formatTraceparent(parent), next);
      else next();
      return;
    }
    const span = sdk.tracer.startSpan(
      `${request.method} request`,
      { kind: sdk.api.SpanKind.SERVER, attributes: { 'http.request.method': request.method } },
      parent ? sdk.api.trace.setSpanContext(sdk.api.ROOT_CONTEXT, remote(parent)) : sdk.api.ROOT_CONTEXT,
    );
    response.once('finish', () => {
      // The route template, known only once routing has run; never the raw URL (it holds ids).
      const route = (request.route as { path?: unknown } | undefined)?.path;
      const template = typeof route === 'string' ? request.baseUrl + route : 'unmatched';
      span.updateName(`${request.method} ${template}`);
      span.setAttribute('http.route', template);
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: sdk.api.SpanStatusCode.ERROR });
      span.end();
    });
    runWithTraceparent(headerOf(span.spanContext()), next);
  };

  /**
   * A delivery attempt's span, a child of the context stored with its event. Without export, only
   * the header: the stored trace (or the event's own), a new span id.
   */
  startAttempt(traceContext: string | null, eventId: string, deliveryId: string): AttemptSpan {
    const sdk = this.sdk;
    if (!sdk) return { traceparent: attemptTraceparent(traceContext, eventId), end: NO_SPAN_END };
    const parent = parseTraceparent(traceContext ?? undefined);
    const span: Span = sdk.tracer.startSpan(
      'webhook attempt',
      {
        kind: sdk.api.SpanKind.CLIENT,
        attributes: { 'maitred.event_id': eventId, 'maitred.delivery_id': deliveryId, 'http.request.method': 'POST' },
      },
      parent ? sdk.api.trace.setSpanContext(sdk.api.ROOT_CONTEXT, remote(parent)) : sdk.api.ROOT_CONTEXT,
    );
    return {
      traceparent: headerOf(span.spanContext()),
      end: ({ statusCode, error }) => {
        if (statusCode !== null) span.setAttribute('http.response.status_code', statusCode);
        span.setAttribute('maitred.outcome', error ?? 'success');
        if (error !== null) span.setStatus({ code: sdk.api.SpanStatusCode.ERROR, message: error });
        span.end();
      },
    };
  }
}

function remote(parent: TraceParent): SpanContext {
  return { traceId: parent.traceId, spanId: parent.spanId, traceFlags: parseInt(parent.flags, 16), isRemote: true };
}

function headerOf(context: SpanContext): string {
  return formatTraceparent({
    traceId: context.traceId,
    spanId: context.spanId,
    flags: (context.traceFlags & 0xff).toString(16).padStart(2, '0'),
  });
}
