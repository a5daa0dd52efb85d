/**
 * SMS gateway simulator: a stand-in for Twilio, so the paging demo can text guests and take their
 * replies on one machine. The pager talks to it with the official `twilio` library, unchanged: only
 * TWILIO_API_URL points here instead of https://api.twilio.com.
 *
 * The subset of Twilio's REST API the library uses to send a text:
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json   form-encoded To, From, Body, StatusCallback?
 *        HTTP basic auth (AccountSid:AuthToken) → 201 and Twilio's Message resource (status `queued`);
 *        Twilio's error shape `{ code, message, more_info, status }` for 400 (21602 no body, 21603 no From,
 *        21604 no To, 21211 To not a phone number, 21617 body over 1600 characters), 401 (20003) and 404 (20404)
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json   one message
 * After a send it calls the StatusCallback with `sent`, then `delivered`.
 *
 * Its webhooks are signed exactly as Twilio signs them: `X-Twilio-Signature` is the base64 HMAC-SHA1,
 * keyed with the auth token, of the full URL followed by every POST parameter's name and value,
 * sorted by name. So `twilio.validateRequest` accepts them, and nothing else.
 *
 * The phone side, for people and tests:
 *   GET  /                              every phone's conversation, with a reply box
 *   GET  /api/messages                  every message, oldest first (JSON)
 *   POST /api/phones/{phone}/replies    { body } → the guest texts back: the inbound-message webhook goes
 *        to SMS_WEBHOOK_URL (form-encoded, signed); the TwiML <Message> replies it answers with are texted
 *        back. → 200 { webhookStatus, replies }
 *
 * Environment:
 *   TWILIO_ACCOUNT_SID   the one account it serves, `AC` + 32 hex (required)
 *   TWILIO_AUTH_TOKEN    that account's token: checks basic auth and signs webhooks (required)
 *   SMS_WEBHOOK_URL      where replies go, Twilio's "A message comes in" URL (required for replies)
 *   PORT                 (default 4006; 0 picks a free one)
 *   HOST                 (default 127.0.0.1)
 *
 * Messages live in memory. Prints `sms-gateway: listening on http://<host>:<port>` when ready.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, describeError, intEnv, logger, onShutdown, optionalEnv, requiredEnv } from './lib/runtime';
import { BodyTooLargeError, readRawBody, sendJson } from './lib/webhooks';

const log = logger('sms-gateway');
const accountSid = requiredEnv('TWILIO_ACCOUNT_SID');
const authToken = requiredEnv('TWILIO_AUTH_TOKEN');
const inboundUrl = optionalEnv('SMS_WEBHOOK_URL', '');
const API_VERSION = '2010-04-01';
const E164 = /^\+[1-9]\d{1,14}$/;
const CALLBACK_TIMEOUT_MS = 10_000;

interface Message {
  sid: string;
  direction: 'outbound-api' | 'inbound' | 'outbound-reply';
  from: string;
  to: string;
  body: string;
  status: string;
  dateCreated: Date;
  dateUpdated: Date;
  statusCallback: string | null;
}

const messages: Message[] = [];
const inFlight = new Set<Promise<void>>();

function messageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** Twilio's signature: HMAC-SHA1 over the URL and the sorted parameters, base64. */
function twilioSignature(token: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', token).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Twilio's Message resource, as its JSON API writes it (RFC 2822 dates, snake_case). */
function resource(message: Message): Record<string, unknown> {
  const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${message.sid}.json`;
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body: message.body,
    date_created: message.dateCreated.toUTCString().replace('GMT', '+0000'),
    date_sent: message.status === 'queued' ? null : message.dateUpdated.toUTCString().replace('GMT', '+0000'),
    date_updated: message.dateUpdated.toUTCString().replace('GMT', '+0000'),
    direction: message.direction === 'outbound-reply' ? 'outbound-reply' : message.direction,
    error_code: null,
    error_message: null,
    from: message.from,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: String(Math.max(1, Math.ceil(message.body.length / 160))),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: uri.replace('.json', '/Media.json') },
    to: message.to,
    uri,
  };
}

function twilioError(response: ServerResponse, status: number, code: number, message: string): void {
  sendJson(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function authenticated(request: IncomingMessage): boolean {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return user === accountSid && rest.join(':') === authToken;
}

/** A signed form POST, as Twilio sends its webhooks; resolves with the status and body. */
async function postSigned(url: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': twilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
  });
  return { status: response.status, text: await response.text() };
}

/** Moves a sent message to `sent`, then `delivered`, telling its StatusCallback each time. */
function progress(message: Message): void {
  const run = (async () => {
    for (const status of ['sent', 'delivered']) {
      message.status = status;
      message.dateUpdated = new Date();
      if (!message.statusCallback) continue;
      const params = {
        AccountSid: accountSid,
        ApiVersion: API_VERSION,
        From: message.from,
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
      };
      try {
        const answer = await postSigned(message.statusCallback, params);
        if (answer.status >= 400) log(`status callback for ${message.sid} (${status}) → ${answer.status}`);
      } catch (error) {
        log(`status callback for ${message.sid} (${status}) failed: ${describeError(error)}`);
      }
    }
  })();
  inFlight.add(run);
  void run.finally(() => inFlight.delete(run));
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The texts of a TwiML answer's <Message> verbs (`<Message>text</Message>` or with a <Body>). */
function twimlMessages(xml: string): string[] {
  const bodies: string[] = [];
  for (const match of xml.matchAll(/<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g)) {
    const inner = /<Body(?:\s[^>]*)?>([\s\S]*?)<\/Body>/.exec(match[1])?.[1] ?? match[1];
    bodies.push(decodeXml(inner.trim()));
  }
  return bodies;
}

/** The guest at `phone` texts `body` to the number that last texted them. */
async function reply(phone: string, body: string): Promise<{ webhookStatus: number; replies: string[] }> {
  const last = [...messages].reverse().find((message) => message.to === phone && message.direction !== 'inbound');
  if (!last) throw new ClientError(`no message was sent to ${phone}, so there is nobody to reply to`);
  if (!inboundUrl) throw new ClientError('SMS_WEBHOOK_URL is not set: there is nowhere to send replies');
  const now = new Date();
  const inbound: Message = {
    sid: messageSid(),
    direction: 'inbound',
    from: phone,
    to: last.from,
    body,
    status: 'received',
    dateCreated: now,
    dateUpdated: now,
    statusCallback: null,
  };
  messages.push(inbound);
  const params = {
    AccountSid: accountSid,
    ApiVersion: API_VERSION,
    Body: body,
    From: phone,
    MessageSid: inbound.sid,
    NumMedia: '0',
    NumSegments: '1',
    SmsMessageSid: inbound.sid,
    SmsSid: inbound.sid,
    SmsStatus: 'received',
    To: last.from,
  };
  const answer = await postSigned(inboundUrl, params);
  log(`reply from ${phone} ("${body}") → ${inboundUrl} → ${answer.status}`);
  const replies = answer.status === 200 ? twimlMessages(answer.text) : [];
  for (const text of replies) {
    const at = new Date();
    messages.push({
      sid: messageSid(),
      direction: 'outbound-reply',
      from: last.from,
      to: phone,
      body: text,
      status: 'delivered',
      dateCreated: at,
      dateUpdated: at,
      statusCallback: null,
    });
  }
  return { webhookStatus: answer.status, replies };
}

class ClientError extends Error {}

function send(params: URLSearchParams, response: ServerResponse): void {
  const to = params.get('To') ?? '';
  const from = params.get('From') ?? '';
  const body = params.get('Body') ?? '';
  if (!to) {
    twilioError(response, 400, 21604, "A 'To' phone number is required.");
    return;
  }
  if (!E164.test(to)) {
    twilioError(response, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    return;
  }
  if (!from) {
    twilioError(response, 400, 21603, "A 'From' phone number is required.");
    return;
  }
  if (!body) {
    twilioError(response, 400, 21602, 'Message body is required.');
    return;
  }
  if (body.length > 1600) {
    twilioError(response, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    return;
  }
  const now = new Date();
  const message: Message = {
    sid: messageSid(),
    direction: 'outbound-api',
    from,
    to,
    body,
    status: 'queued',
    dateCreated: now,
    dateUpdated: now,
    // An empty StatusCallback means none, as Twilio reads it.
    statusCallback: params.get('StatusCallback') === '' ? null : params.get('StatusCallback'),
  };
  messages.push(message);
  log(`text ${message.sid} from ${from} to ${to}: ${body}`);
  sendJson(response, 201, resource(message));
  progress(message);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function page(): string {
  const phones = [...new Set(messages.map((m) => (m.direction === 'inbound' ? m.from : m.to)))];
  const conversations = phones
    .map((phone) => {
      const lines = messages
        .filter((m) => m.to === phone || m.from === phone)
        .map((m) => {
          const mine = m.direction === 'inbound';
          return `<li class="${mine ? 'in' : 'out'}"><span>${escapeHtml(m.body)}</span><small>${m.dateCreated.toISOString().slice(11, 19)}${mine ? '' : ` · ${m.status}`}</small></li>`;
        })
        .join('');
      return `<section data-phone="${escapeHtml(phone)}"><h2>${escapeHtml(phone)}</h2><ul>${lines}</ul>
        <form method="post" action="/phones/${encodeURIComponent(phone)}/reply"><input name="body" autocomplete="off" placeholder="Reply (1 = on my way, 9 = cancel)" aria-label="Reply from ${escapeHtml(phone)}"><button>Send</button></form></section>`;
    })
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>SMS gateway (simulator)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;background:#f4f4f6}section{background:#fff;border-radius:12px;padding:1rem;margin:0 0 1rem;max-width:28rem}
ul{list-style:none;padding:0;display:flex;flex-direction:column;gap:.4rem}li{max-width:80%;padding:.5rem .75rem;border-radius:14px}li small{display:block;font-size:.7rem;opacity:.6}
li.out{background:#e5e5ea;align-self:flex-start}li.in{background:#0a84ff;color:#fff;align-self:flex-end}form{display:flex;gap:.5rem}input{flex:1;padding:.4rem}</style></head>
<body><h1>SMS gateway (simulator)</h1><p>Each phone's conversation. Texts arrive through Twilio's Messages API; a reply goes to ${escapeHtml(inboundUrl || '(SMS_WEBHOOK_URL not set)')}, signed like Twilio.</p>
${conversations || '<p>No texts yet.</p>'}
<script>let seen=${messages.length};setInterval(async()=>{if(document.activeElement&&document.activeElement.tagName==='INPUT'&&document.activeElement.value)return;
const r=await fetch('/api/messages');const m=await r.json();if(m.length!==seen||m.some(x=>x.status!=='delivered'&&x.status!=='received'))location.reload();},1000);</script></body></html>`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readRawBody(request, 64 * 1024)).toString('utf8'));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (request.method === 'GET' && path === '/health') {
    sendJson(response, 200, { status: 'ok', messages: messages.length });
    return;
  }
  if (request.method === 'GET' && path === '/') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page());
    return;
  }
  if (request.method === 'GET' && path === '/api/messages') {
    sendJson(
      response,
      200,
      messages.map((m) => ({ ...m, dateCreated: m.dateCreated.toISOString(), dateUpdated: m.dateUpdated.toISOString() })),
    );
    return;
  }
  const replyRoute = /^\/(api\/)?phones\/([^/]+)\/repl(y|ies)$/.exec(path);
  if (replyRoute && request.method === 'POST') {
    const phone = decodeURIComponent(replyRoute[2]);
    const asJson = Boolean(replyRoute[1]);
    let body: string;
    const raw = (await readRawBody(request, 64 * 1024)).toString('utf8');
    if (asJson) {
      const parsed = JSON.parse(raw || '{}') as { body?: unknown };
      body = typeof parsed.body === 'string' ? parsed.body : '';
    } else {
      body = new URLSearchParams(raw).get('body') ?? '';
    }
    if (!body.trim()) {
      sendJson(response, 400, { error: 'body must be a non-empty text' });
      return;
    }
    try {
      const result = await reply(phone, body.trim());
      if (asJson) {
        sendJson(response, 200, result);
        return;
      }
    } catch (error) {
      if (error instanceof ClientError) {
        sendJson(response, 400, { error: error.message });
        return;
      }
      throw error;
    }
    response.writeHead(303, { location: '/' });
    response.end();
    return;
  }

  const api = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/.exec(path);
  if (!api) {
    twilioError(response, 404, 20404, `The requested resource ${path} was not found`);
    return;
  }
  if (!authenticated(request)) {
    response.setHeader('www-authenticate', 'Basic realm="Twilio API"');
    twilioError(response, 401, 20003, 'Authenticate');
    return;
  }
  if (api[1] !== accountSid) {
    twilioError(response, 404, 20404, `The requested resource ${path} was not found`);
    return;
  }
  if (api[2]) {
    const message = messages.find((m) => m.sid === api[2]);
    if (request.method !== 'GET' || !message) {
      twilioError(response, 404, 20404, `The requested resource ${path} was not found`);
      return;
    }
    sendJson(response, 200, resource(message));
    return;
  }
  if (request.method !== 'POST') {
    twilioError(response, 405, 20004, 'Method not allowed');
    return;
  }
  send(await readForm(request), response);
}

async function main(): Promise<void> {
  const port = intEnv('PORT', 4006, 0, 65535);
  const host = optionalEnv('HOST', '127.0.0.1');
  if (!/^AC[0-9a-f]{32}$/i.test(accountSid)) {
    process.stderr.write('TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits\n');
    process.exit(2);
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { error: error.message });
        return;
      }
      if (error instanceof SyntaxError) {
        sendJson(response, 400, { error: 'body must be JSON' });
        return;
      }
      log(`request failed: ${describeError(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });
  const address = server.address() as AddressInfo;
  log(`listening on http://${host}:${address.port} (replies to ${inboundUrl || 'nowhere: SMS_WEBHOOK_URL is not set'})`);
  onShutdown('sms-gateway', async () => {
    await closeServer(server);
    await Promise.all(inFlight);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`sms-gateway: failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
