import { expect } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_KEY, checkIn, clockOf, createKey, removeDir, startApp, tempDir, testDatabaseUrl, TestApp } from './support/app';
import { Instance, killAllInstances, launchInstance } from './support/instances';
import { eventually, Receiver, ReceivedWebhook } from './support/receiver';

/**
 * W3C trace context on webhooks, with and without export: every webhook request carries a
 * `traceparent` whose trace starts at the request that caused the event; with
 * OTEL_EXPORTER_OTLP_ENDPOINT a local OTLP/HTTP receiver gets one trace linking the check-in's
 * request span to its delivery attempt spans. The SDK is process-global, so the exporting app
 * runs as a child process (`node dist/main`).
 */
jest.setTimeout(60_000);

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

function traceOf(webhook: ReceivedWebhook): { traceId: string; spanId: string } {
  const header = webhook.headers.traceparent;
  expect(header).toMatch(TRACEPARENT);
  const [, traceId, spanId] = TRACEPARENT.exec(String(header))!;
  return { traceId, spanId };
}

async function addEndpoint(baseUrl: string, token: string, receiver: Receiver): Promise<void> {
  const response = await fetch(`${baseUrl}/api/webhooks/endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, eventTypes: ['guest.checked_in'] }),
  });
  expect(response.status).toBe(201);
  receiver.secrets = [((await response.json()) as { secret: string }).secret];
}

describe('traceparent on webhooks, export off', () => {
  const receiver = new Receiver();
  let app: TestApp;

  beforeAll(async () => {
    await receiver.start();
    app = await startApp({ WEBHOOK_ALLOWED_HOSTS: receiver.hostPort, WEBHOOK_RETRY_SCHEDULE: '5s' });
    await addEndpoint(app.baseUrl, await createKey(app, ['endpoints']), receiver);
  });

  afterAll(async () => {
    await app.close();
    await receiver.stop();
    removeDir(app.dir);
  });

  it('sends a valid traceparent, one trace per event, a new span per attempt', async () => {
    let answered = 0;
    receiver.respond = (_request, res) => {
      answered += 1;
      res.writeHead(answered === 1 ? 503 : 204).end();
    };
    const guest = await checkIn(app, { name: 'Ada' });
    const first = await receiver.waitFor((r) => r.payload.data.guest.id === guest.id);
    expect(first.verified).toBe(true);
    // The retry, due after the 5 s schedule: the clock moves instead of the test sleeping.
    clockOf(app).advance(6_000);
    const second = await receiver.waitFor((r) => r.payload.data.guest.id === guest.id && r !== first);
    expect(traceOf(second).traceId).toBe(traceOf(first).traceId);
    expect(traceOf(second).spanId).not.toBe(traceOf(first).spanId);

    const other = await checkIn(app, { name: 'Bo' });
    const third = await receiver.waitFor((r) => r.payload.data.guest.id === other.id);
    expect(traceOf(third).traceId).not.toBe(traceOf(first).traceId);
  });

  it("continues the caller's trace", async () => {
    const result = await app.http.post<{ id: string }>(
      '/api/guests',
      { name: 'Cy', partySize: 2 },
      {
        headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      },
    );
    expect(result.status).toBe(201);
    const webhook = await receiver.waitFor((r) => r.payload.data.guest.id === result.body.id);
    expect(traceOf(webhook).traceId).toBe(CALLER_TRACE);
    expect(traceOf(webhook).spanId).not.toBe(CALLER_SPAN);
  });

  it('keeps concurrent requests in their own traces (SQLite runs their units of work from one queue)', async () => {
    const traceIds = Array.from({ length: 12 }, (_, i) => `${(i + 1).toString(16).padStart(2, '0')}${CALLER_TRACE.slice(2)}`);
    const guests = await Promise.all(
      traceIds.map((traceId, i) =>
        app.http.post<{ id: string }>(
          '/api/guests',
          { name: `Guest ${i}`, partySize: 2 },
          { headers: { traceparent: `00-${traceId}-${CALLER_SPAN}-01` } },
        ),
      ),
    );
    for (const [i, guest] of guests.entries()) {
      expect(guest.status).toBe(201);
      const webhook = await receiver.waitFor((r) => r.payload.data.guest.id === guest.body.id);
      expect(traceOf(webhook).traceId).toBe(traceIds[i]);
    }
  });

  it('ignores a malformed traceparent and still sends a valid one', async () => {
    const result = await app.http.post<{ id: string }>(
      '/api/guests',
      { name: 'Di', partySize: 2 },
      {
        headers: { traceparent: `00-${'0'.repeat(32)}-${CALLER_SPAN}-01` },
      },
    );
    expect(result.status).toBe(201);
    const webhook = await receiver.waitFor((r) => r.payload.data.guest.id === result.body.id);
    expect(traceOf(webhook).traceId).not.toBe('0'.repeat(32));
  });
});

/** An OTLP span as the JSON encoding writes it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}

interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

describe('trace export over OTLP/HTTP', () => {
  const receiver = new Receiver();
  const spans: OtlpSpan[] = [];
  const services = new Set<string>();
  const contentTypes = new Set<string>();
  let collector: Server;
  let app: Instance | undefined;
  let dir: string;

  beforeAll(async () => {
    await receiver.start();
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        contentTypes.add(String(req.headers['content-type']));
        if (req.url === '/v1/traces') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
          for (const resource of body.resourceSpans) {
            for (const attribute of resource.resource.attributes)
              if (attribute.key === 'service.name' && attribute.value.stringValue) services.add(attribute.value.stringValue);
            for (const scope of resource.scopeSpans) spans.push(...scope.spans);
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    dir = tempDir();
  });

  afterAll(async () => {
    await killAllInstances();
    await receiver.stop();
    await new Promise((resolve) => collector.close(resolve));
    removeDir(dir);
  });

  it("exports one trace from the check-in's request span to each of its delivery attempts", async () => {
    app = await launchInstance('traced', dir, {
      DATABASE_URL: await testDatabaseUrl(dir),
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
      WEBHOOK_RETRY_SCHEDULE: '1s',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_SERVICE_NAME: 'maitred-test',
      // The SDK's batch delay: spans leave within 100 ms instead of 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const instance = app;
    const key = (
      (await instance.http.post('/api/keys', { name: 'hooks', scopes: ['endpoints'] }, { token: ADMIN_KEY })) as {
        body: { key: string };
      }
    ).body.key;
    await addEndpoint(instance.baseUrl, key, receiver);

    // The first attempt fails, its retry (1 s later) succeeds: two attempt spans in one trace.
    let answered = 0;
    receiver.respond = (_request, res) => {
      answered += 1;
      res.writeHead(answered === 1 ? 500 : 204).end();
    };
    const result = await instance.http.post<{ id: string }>(
      '/api/guests',
      { name: 'Ada', partySize: 2 },
      {
        headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      },
    );
    expect(result.status).toBe(201);
    const webhooks = await receiver.waitForCount(2, (r) => r.payload.data.guest.id === result.body.id, 15_000);

    const trace = await eventually(
      () => {
        const inTrace = spans.filter((span) => span.traceId === CALLER_TRACE);
        return inTrace.filter((span) => span.name === 'webhook attempt').length >= 2 &&
          inTrace.some((span) => span.name === 'POST /api/guests')
          ? Promise.resolve(inTrace)
          : Promise.resolve(undefined);
      },
      15_000,
      'the request span and two attempt spans at the collector',
    );
    expect(contentTypes).toContain('application/json');
    expect(services).toContain('maitred-test');
    const request = trace.find((span) => span.name === 'POST /api/guests')!;
    expect(request.parentSpanId).toBe(CALLER_SPAN);
    expect(request.kind).toBe(2); // SERVER
    const attempts = trace.filter((span) => span.name === 'webhook attempt');
    for (const attempt of attempts) {
      expect(attempt.parentSpanId).toBe(request.spanId);
      expect(attempt.kind).toBe(3); // CLIENT
    }
    const outcomes = attempts.map((span) => span.attributes.find((a) => a.key === 'maitred.outcome')?.value.stringValue).sort();
    expect(outcomes).toEqual(['http_500', 'success']);
    // Each webhook carried its own attempt span's id, in the caller's trace.
    for (const webhook of webhooks) {
      const { traceId, spanId } = traceOf(webhook);
      expect(traceId).toBe(CALLER_TRACE);
      expect(attempts.map((span) => span.spanId)).toContain(spanId);
    }
    expect(new Set(webhooks.map((webhook) => traceOf(webhook).spanId)).size).toBe(2);
  });
});
