import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { Webhook } from 'standardwebhooks';
import { FeedEvent, ForwardResult, forward } from './forward';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

interface ListenOptions {
  forwardTo: string;
  url: string;
  key?: string;
  events?: string[];
  since?: string;
}

function httpUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an http:// or https:// URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new InvalidArgumentError('must be an http:// or https:// URL');
  return value;
}

function eventList(value: string): string[] {
  const types = value
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type.length > 0);
  if (types.length === 0) throw new InvalidArgumentError('must list event types, e.g. guest.checked_in,guest.seated');
  return types;
}

function eventId(value: string): string {
  if (!/^evt_[0-9A-Za-z]{26}$/.test(value)) throw new InvalidArgumentError('must be an event id (evt_…)');
  return value;
}

function line(event: FeedEvent, result: ForwardResult): string {
  const answer = result.status !== undefined ? String(result.status) : (result.error ?? 'failed');
  const tries = result.attempts > 1 ? ` after ${result.attempts} attempts` : '';
  return `${new Date().toISOString()}  ${event.type.padEnd(22)} ${event.id}  ${answer}  ${Math.round(result.durationMs)} ms${tries}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function listen(options: ListenOptions): void {
  const key = options.key ?? process.env.MAITRED_API_KEY;
  if (!key) {
    process.stderr.write(
      'error: an API key is needed: --key <key> or MAITRED_API_KEY (a key with the endpoints or admin scope)\n',
    );
    process.exit(2);
  }
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const webhook = new Webhook(secret);
  /** Where to resume on reconnect: after the last event forwarded, or where the server said this session starts. */
  let resumeAfter: string | null | undefined = options.since;
  let announced = false;
  let queue = Promise.resolve();
  /** Counts connections, so events still queued from a closed one are left to the next. */
  let session = 0;

  const socket = io(`${options.url.replace(/\/$/, '')}/listen`, {
    transports: ['websocket'],
    // A function, so every reconnect asks to resume after the last forwarded event.
    // It waits for the event being forwarded, so the resume point is final and nothing is sent twice.
    auth: (cb) => {
      void queue.then(() => {
        cb({
          token: key,
          ...(resumeAfter !== undefined ? { after: resumeAfter } : {}),
          ...(options.events ? { events: options.events } : {}),
        });
      });
    },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });

  socket.on('ready', (ready: { after: string | null }) => {
    // Only the first session's start counts: a reconnect resumes where forwarding stopped.
    if (resumeAfter === undefined) resumeAfter = ready.after;
    if (!announced) {
      announced = true;
      process.stdout.write(`Ready. Forwarding to ${options.forwardTo}. Webhook signing secret: ${secret}\n`);
    } else process.stdout.write(`Reconnected; resuming after ${resumeAfter ?? 'the first event'}.\n`);
  });

  socket.on('event', (event: FeedEvent, ack: () => void) => {
    const arrivedIn = session;
    // One at a time, in the order the feed sent them.
    queue = queue.then(async () => {
      // Sent by a connection that has since closed: the next one resumes after the last forwarded event and sends it again.
      if (arrivedIn !== session) return;
      const result = await forward(
        options.forwardTo,
        webhook,
        event,
        VERSION,
        (failed, delayMs) => {
          process.stdout.write(`  ${event.id}: ${failed.status ?? failed.error ?? 'failed'}; retrying in ${delayMs} ms\n`);
        },
        sleep,
      );
      process.stdout.write(`${line(event, result)}\n`);
      resumeAfter = event.id;
      ack();
    });
  });

  socket.on('connect_error', (error: Error) => {
    if (socket.active) {
      // A network blip or a restarting server: socket.io-client tries again by itself.
      process.stderr.write(`Cannot reach ${options.url} (${error.message}); retrying…\n`);
      return;
    }
    // Refused by the server's middleware (a bad key, an unknown --since id or event type): no retry.
    const hint = error.message === 'unauthorized' ? ': the key was refused (it needs the endpoints or admin scope)' : '';
    process.stderr.write(`error: ${options.url} refused the connection: ${error.message}${hint}\n`);
    process.exit(1);
  });

  socket.on('disconnect', (reason) => {
    session += 1;
    if (reason === 'io server disconnect') {
      // The server closed it on purpose (a revoked key, or it stopped acknowledging); a revoked key is refused on reconnect.
      process.stderr.write('Disconnected by the server; reconnecting…\n');
      socket.connect();
    } else process.stderr.write(`Connection lost (${reason}); reconnecting…\n`);
  });

  process.once('SIGINT', () => {
    socket.close();
    process.stdout.write('Stopped.\n');
    process.exit(0);
  });
}

const program = new Command()
  .name('maitred')
  .description('Maitred command line')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError();

program
  .command('listen')
  .description("forward this Maitred deployment's events to a local URL, signed like real webhooks")
  .requiredOption('--forward-to <url>', 'local URL to POST each event to', httpUrl)
  .option('--url <url>', 'the Maitred server (or MAITRED_URL)', httpUrl, process.env.MAITRED_URL ?? 'http://localhost:3000')
  .option('--key <key>', 'an API key with the endpoints or admin scope (or MAITRED_API_KEY)')
  .option('--events <types>', 'only these event types, comma-separated', eventList)
  .option('--since <evt id>', 'first replay the events after this one', eventId)
  .action((options: ListenOptions) => {
    listen(options);
  });

try {
  program.parse(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; every usage error exits 2 (commander already printed it).
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  throw error;
}
