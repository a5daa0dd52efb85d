/**
 * Mail sink: a local SMTP server that accepts every letter and keeps it, so the demo can send real
 * email without sending any into the world. A person reads the letters on a small web page.
 *
 *   SMTP on loopback (no auth, no TLS) → each letter appended to letters.ndjson (fsync'ed before the
 *   SMTP "250 OK", so an accepted letter is never lost) → listed at `GET /`, as JSON at `GET /letters`.
 *
 * It stores what it is given and de-duplicates nothing: a letter sent twice shows up twice, which
 * is exactly what a test of "one letter per payment" needs to see.
 *
 * Environment:
 *   SMTP_PORT   the SMTP port (default 2525; 0 picks a free one)
 *   PORT        the web page's port (default 4005; 0 picks a free one)
 *   HOST        address to listen on (default 127.0.0.1)
 *   DATA_DIR    where letters.ndjson is kept (default ./data/mail-sink)
 *
 * Prints `mail-sink: listening on http://<host>:<port> (SMTP on <host>:<smtp port>)` when ready;
 * SIGINT/SIGTERM stop it (exit 0).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { closeServer, describeError, intEnv, logger, onShutdown, optionalEnv } from './lib/runtime';
import { sendJson } from './lib/webhooks';

const log = logger('mail-sink');
const smtpPort = intEnv('SMTP_PORT', 2525, 0, 65535);
const port = intEnv('PORT', 4005, 0, 65535);
const host = optionalEnv('HOST', '127.0.0.1');
const dataDir = resolve(optionalEnv('DATA_DIR', join('data', 'mail-sink')));
const MAX_LETTER_BYTES = 1024 * 1024;

export interface Letter {
  id: number;
  receivedAt: string;
  /** The SMTP envelope: who the client said it was from and to. */
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string;
  subject: string;
  messageId: string | null;
  text: string;
}

/** The letters on disk, one JSON line each, appended and fsync'ed one at a time. */
class LetterStore {
  readonly letters: Letter[] = [];
  private readonly file: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'letters.ndjson');
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        // A line cut short by a crash was never acknowledged to the sender: skip it.
        if (!line.trim()) continue;
        try {
          this.letters.push(JSON.parse(line) as Letter);
        } catch {
          log(`skipping a damaged line in ${this.file}`);
        }
      }
    }
  }

  add(letter: Omit<Letter, 'id'>): Letter {
    const stored: Letter = { id: (this.letters.at(-1)?.id ?? 0) + 1, ...letter };
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, `${JSON.stringify(stored)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.letters.push(stored);
    return stored;
  }
}

// ---------------------------------------------------------------------------------------------
// Just enough MIME to show a letter: headers (with RFC 2047 encoded words) and its text/plain part.
// ---------------------------------------------------------------------------------------------
type Headers = Map<string, string>;

function splitMessage(raw: string): { headers: Headers; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? '' : normalized.slice(end + 2);
  const headers: Headers = new Map();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(body).toString('utf8');
    default:
      return body;
  }
}

/** `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=` words in a header, as nodemailer writes non-ASCII text. */
function decodeHeader(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_word, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function parameter(headerValue: string | undefined, name: string): string | undefined {
  const match = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(headerValue ?? '');
  return match?.[1];
}

/** The first text/plain part, descending into multipart containers. */
function textOf(headers: Headers, body: string): string {
  const type = (headers.get('content-type') ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = parameter(headers.get('content-type'), 'boundary');
    if (!boundary) return body;
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const inner = splitMessage(part.replace(/^\n/, ''));
      const text = textOf(inner.headers, inner.body);
      if (text) return text;
    }
    return '';
  }
  if (!type.startsWith('text/plain')) return '';
  return decodeBody(body, headers.get('content-transfer-encoding')).replace(/\n$/, '');
}

function readLetter(raw: string, session: SMTPServerSession): Omit<Letter, 'id'> {
  const { headers, body } = splitMessage(raw);
  const mailFrom = session.envelope.mailFrom;
  return {
    receivedAt: new Date().toISOString(),
    envelope: {
      from: mailFrom ? mailFrom.address : null,
      to: session.envelope.rcptTo.map((address) => address.address),
    },
    from: decodeHeader(headers.get('from') ?? ''),
    to: decodeHeader(headers.get('to') ?? ''),
    subject: decodeHeader(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? null,
    text: textOf(headers, body),
  };
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function page(letters: Letter[]): string {
  const items = [...letters]
    .reverse()
    .map(
      (letter) => `<article>
  <h2>${escapeHtml(letter.subject || '(no subject)')}</h2>
  <p class="meta">To ${escapeHtml(letter.to || letter.envelope.to.join(', '))} · from ${escapeHtml(letter.from)} · ${escapeHtml(letter.receivedAt)}</p>
  <pre>${escapeHtml(letter.text)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>Mail sink: ${letters.length} letter(s)</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  article { border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; }
  h2 { font-size: 1.05rem; margin: 0.4rem 0; }
  .meta { color: #666; font-size: 0.85rem; margin: 0; }
  pre { white-space: pre-wrap; font: inherit; }
</style>
</head>
<body>
<h1>Mail sink</h1>
<p>${letters.length} letter(s) received over SMTP, newest first. This page reloads every 5 seconds; JSON at <a href="/letters">/letters</a>.</p>
${items || '<p>No letters yet.</p>'}
</body>
</html>
`;
}

function handle(request: IncomingMessage, response: ServerResponse, store: LetterStore): void {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET') {
    sendJson(response, 405, { error: 'use GET' });
    return;
  }
  if (path === '/health') {
    sendJson(response, 200, { status: 'ok', letters: store.letters.length });
    return;
  }
  if (path === '/letters') {
    sendJson(response, 200, store.letters);
    return;
  }
  if (path !== '/') {
    sendJson(response, 404, { error: 'not found' });
    return;
  }
  const html = page(store.letters);
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  response.end(html);
}

async function main(): Promise<void> {
  const store = new LetterStore(dataDir);
  const smtp = new SMTPServer({
    name: 'mail-sink.localhost',
    banner: 'Maitred demo mail sink',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_LETTER_BYTES,
    logger: false,
    // Ctrl-C should not wait 30 s for an idle client to hang up.
    closeTimeout: 2_000,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Letter too large'), { responseCode: 552 }));
          return;
        }
        try {
          const letter = store.add(readLetter(Buffer.concat(chunks).toString('utf8'), session));
          log(`letter #${letter.id} to ${letter.to || letter.envelope.to.join(', ')}: ${letter.subject}`);
          callback();
        } catch (error) {
          log(`could not store a letter: ${describeError(error)}`);
          callback(Object.assign(new Error('Could not store the letter; try again'), { responseCode: 451 }));
        }
      });
    },
  });
  smtp.on('error', (error: Error) => log(`SMTP error: ${describeError(error)}`));
  await new Promise<void>((done, fail) => {
    smtp.server.once('error', fail);
    smtp.listen(smtpPort, host, () => done());
  });
  const web = createServer((request, response) => handle(request, response, store));
  await new Promise<void>((done, fail) => {
    web.once('error', fail);
    web.listen(port, host, done);
  });
  const smtpAddress = smtp.server.address() as AddressInfo;
  const webAddress = web.address() as AddressInfo;
  log(
    `listening on http://${host}:${webAddress.port} (SMTP on ${host}:${smtpAddress.port}; ${store.letters.length} letter(s) in ${dataDir})`,
  );

  onShutdown('mail-sink', async () => {
    await closeServer(web);
    await new Promise<void>((done) => smtp.close(() => done()));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`mail-sink: failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
