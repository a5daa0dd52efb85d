import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { Agent, request } from 'undici';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { AttemptOutcome } from './delivery-policy';
import { classifyFailure, parseRetryAfter } from './retry-policy';
import { signatureHeader } from './signing';
import { OriginGate } from './origin-gate';
import { createGuardedConnector } from './ssrf/guarded-lookup';
import { isAllowedHost } from './ssrf/url-policy';

const RESPONSE_BODY_LIMIT = 4 * 1024;

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export interface OutgoingWebhook {
  url: string;
  /** Every secret currently valid for the endpoint: one signature each. */
  secrets: string[];
  messageId: string;
  body: string;
  /** The W3C trace context of this attempt (see TracingService.startAttempt). */
  traceparent: string;
}

/**
 * Sends one signed Standard Webhooks request. Connections go through a keep-alive pool whose
 * DNS lookup refuses non-public addresses at connect time (no DNS-rebinding window); hosts
 * listed in WEBHOOK_ALLOWED_HOSTS use a separate pool without that check.
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly userAgent = `maitred-webhooks/${packageVersion()}`;
  private readonly guarded: Agent;
  private readonly trusted: Agent;
  /** As many places per origin as each pool has connections: see OriginGate. */
  private readonly originGate: OriginGate;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    const options = {
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      connections: config.webhookEndpointConcurrency,
      pipelining: 1,
    };
    this.guarded = new Agent({
      ...options,
      // Checks the address actually connected to, for names (at lookup) and IP literals alike.
      connect: createGuardedConnector({ timeout: config.webhookTimeoutMs }),
    });
    this.trusted = new Agent({ ...options, connect: { timeout: config.webhookTimeoutMs } });
    this.originGate = new OriginGate(options.connections);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([this.guarded.close(), this.trusted.close()]);
  }

  /**
   * The headers of one attempt at `timestampSeconds`, exactly as send() sends them: also what
   * "copy as curl" rebuilds for an attempt already made (the signatures are deterministic).
   */
  headers(
    webhook: Omit<OutgoingWebhook, 'url' | 'traceparent'> & { traceparent?: string },
    timestampSeconds: number,
  ): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': this.userAgent,
      'webhook-id': webhook.messageId,
      'webhook-timestamp': String(timestampSeconds),
      'webhook-signature': signatureHeader(webhook.secrets, webhook.messageId, timestampSeconds, webhook.body),
      ...(webhook.traceparent ? { traceparent: webhook.traceparent } : {}),
    };
  }

  async send(webhook: OutgoingWebhook): Promise<AttemptOutcome> {
    let url: URL;
    try {
      url = new URL(webhook.url);
    } catch (error) {
      const failure = classifyFailure({ error });
      return { at: this.clock.iso(), durationMs: 0, statusCode: null, error: failure, responseBody: null, retryAfterMs: null };
    }
    await this.originGate.acquire(url.origin);
    try {
      return await this.attempt(webhook, url);
    } finally {
      this.originGate.release(url.origin);
    }
  }

  /** One attempt, timed from the moment it can be sent. */
  private async attempt(webhook: OutgoingWebhook, url: URL): Promise<AttemptOutcome> {
    // One instant for the attempt's recorded time and its webhook-timestamp, so the request can be rebuilt from the record.
    const nowMs = this.clock.nowMs();
    const at = new Date(nowMs).toISOString();
    const started = performance.now();
    const outcome = (partial: Omit<AttemptOutcome, 'at' | 'durationMs'>): AttemptOutcome => ({
      at,
      durationMs: Math.max(0, Math.round(performance.now() - started)),
      ...partial,
    });
    // One deadline for the whole attempt, cleared as soon as it ends: AbortSignal.timeout would
    // leave a timer behind every attempt that fires (and builds its error) long after the answer.
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, this.config.webhookTimeoutMs);
    try {
      const trusted = isAllowedHost(url, this.config.webhookAllowedHosts);
      const response = await request(url, {
        method: 'POST',
        dispatcher: trusted ? this.trusted : this.guarded,
        headers: this.headers(webhook, Math.floor(nowMs / 1000)),
        body: webhook.body,
        signal: deadline.signal,
        headersTimeout: this.config.webhookTimeoutMs,
        bodyTimeout: this.config.webhookTimeoutMs,
      });
      const responseBody = await readLimited(response.body);
      const statusCode = response.statusCode;
      const error = classifyFailure({ status: statusCode });
      const retryAfterHeader = response.headers['retry-after'];
      const retryAfterMs =
        statusCode === 429 || statusCode === 503
          ? parseRetryAfter(Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader, this.clock.now())
          : null;
      return outcome({ statusCode, error, responseBody, retryAfterMs });
    } catch (error) {
      return outcome({ statusCode: null, error: classifyFailure({ error }), responseBody: null, retryAfterMs: null });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Reads at most 4 KiB of a response body, then lets the rest go. */
async function readLimited(body: AsyncIterable<Buffer> & { destroy?: () => void }): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_BODY_LIMIT) break;
  }
  if (size === 0) return null;
  const text = utf8Prefix(Buffer.concat(chunks));
  // Bytes that are not UTF-8 decode to U+FFFD (3 bytes each), so the text can outgrow the raw bytes.
  return Buffer.byteLength(text, 'utf8') <= RESPONSE_BODY_LIMIT ? text : utf8Prefix(Buffer.from(text, 'utf8'));
}

/** At most RESPONSE_BODY_LIMIT bytes as text; a character cut by the limit is dropped, not replaced. */
function utf8Prefix(bytes: Buffer): string {
  return new StringDecoder('utf8').write(bytes.subarray(0, RESPONSE_BODY_LIMIT));
}
