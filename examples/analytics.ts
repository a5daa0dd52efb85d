/**
 * Analytics: the API side of "API or webhooks". No endpoint, no signature: it pulls Maitred's event
 * feed (`GET /api/events?after=<cursor>`) and appends every event as one NDJSON line to a file,
 * printing per-type counts as it goes.
 *
 * The file is the cursor. On start it reads the id of the last complete line and asks for what
 * came after it; a partial last line (a crash in the middle of a write) is cut off first, and its
 * event is fetched again. Each batch is written and fsync'ed before the next request, so after a
 * crash or `kill -9` the file holds every event exactly once, in feed order, with no gaps.
 *
 * Erasure: a `guest.erased` event is appended like any other (the file records the erasure), and
 * then the file is rewritten (a temporary copy, fsync'ed, renamed over it) with that guest's name,
 * email, phone and notes removed from every earlier line, as Maitred removed them from its feed.
 *
 * Environment:
 *   MAITRED_URL        Maitred's base URL (default http://localhost:3000)
 *   MAITRED_API_KEY    an API key with the `staff` scope (required)
 *   DATA_DIR           where events.ndjson is written (default ./data/analytics)
 *   POLL_INTERVAL_MS   pause when the feed has nothing new (default 1000)
 *   BATCH_SIZE         events per request, 1–500 (default 500)
 *
 * Prints `analytics: following <url> into <file> …` when ready; SIGINT/SIGTERM stop it (exit 0).
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  ftruncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { backoffMs } from './lib/backoff';
import { errorMessage, MaitredApi } from './lib/maitred-api';
import { describeError, intEnv, logger, maitredUrl, onShutdown, optionalEnv, requiredEnv, sleep } from './lib/runtime';

const log = logger('analytics');
const api = new MaitredApi(maitredUrl(), requiredEnv('MAITRED_API_KEY'));
const dataDir = resolve(optionalEnv('DATA_DIR', join('data', 'analytics')));
const pollIntervalMs = intEnv('POLL_INTERVAL_MS', 1000, 10);
const batchSize = intEnv('BATCH_SIZE', 500, 1, 500);

interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: unknown;
}

/** An append-only NDJSON file of events whose last line is the feed cursor. */
class EventLog {
  readonly counts = new Map<string, number>();
  total = 0;
  lastId: string | undefined;
  private fd: number;

  constructor(readonly file: string) {
    // 'a+': read to recover, and every write lands at the end whatever the file position.
    this.fd = openSync(file, 'a+');
    this.recover();
  }

  /** Cuts off a partial last line, then counts the complete lines and finds the last id. */
  private recover(): void {
    const size = fstatSync(this.fd).size;
    const end = this.endOfLastCompleteLine(size);
    if (end < size) {
      ftruncateSync(this.fd, end);
      fsyncSync(this.fd);
      log(`cut off a partial last line (${size - end} bytes) left by an interrupted write`);
    }
    const buffer = Buffer.alloc(1 << 20);
    let position = 0;
    let carry = '';
    let lineNumber = 0;
    while (position < end) {
      const read = readSync(this.fd, buffer, 0, Math.min(buffer.length, end - position), position);
      position += read;
      const lines = (carry + buffer.toString('utf8', 0, read)).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        lineNumber++;
        let event: FeedEvent;
        try {
          event = JSON.parse(line) as FeedEvent;
        } catch {
          throw new Error(`${this.file} line ${lineNumber} is not JSON; refusing to guess where to resume`);
        }
        this.count(event);
      }
    }
  }

  private endOfLastCompleteLine(size: number): number {
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const read = readSync(this.fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, read).lastIndexOf(0x0a);
      if (newline >= 0) return start + newline + 1;
      end = start;
    }
    return 0;
  }

  private count(event: FeedEvent): void {
    this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
    this.total++;
    this.lastId = event.id;
  }

  /** Appends the batch and makes it durable before the cursor moves past it. */
  append(events: FeedEvent[]): void {
    const bytes = Buffer.from(events.map((event) => `${JSON.stringify(event)}\n`).join(''), 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    fsyncSync(this.fd);
    for (const event of events) this.count(event);
  }

  /**
   * Rewrites the file without the guest's personal data (see the header). The rename is atomic,
   * so a crash leaves either the old file or the erased one, both complete.
   */
  erase(guestId: string): number {
    const lines = readFileSync(this.file, 'utf8').split('\n');
    let changed = 0;
    const erased = lines.map((line) => {
      if (line === '') return line;
      const event = JSON.parse(line) as FeedEvent;
      const data = eraseGuest(event.type, event.data, guestId);
      if (data === event.data) return line;
      changed++;
      return JSON.stringify({ ...event, data });
    });
    if (changed === 0) return 0;
    const temporary = `${this.file}.erasing`;
    writeFileSync(temporary, erased.join('\n'), { flush: true });
    renameSync(temporary, this.file);
    closeSync(this.fd);
    this.fd = openSync(this.file, 'a+');
    return changed;
  }

  summary(): string {
    const parts = [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${type} ${n}`);
    return `${this.total} events${parts.length > 0 ? `: ${parts.join(' · ')}` : ''}`;
  }

  close(): void {
    closeSync(this.fd);
  }
}

async function follow(events: EventLog, signal: AbortSignal): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    const query = new URLSearchParams({ limit: String(batchSize) });
    if (events.lastId) query.set('after', events.lastId);
    let batch: FeedEvent[];
    try {
      const response = await api.request<{ data: FeedEvent[]; next: string }>('GET', `/api/events?${query.toString()}`, {
        signal,
      });
      if (response.status === 400 && events.lastId) {
        throw new FatalError(
          `Maitred does not know the cursor ${events.lastId} (${errorMessage(response)}): is this another database? ` +
            `Move ${events.file} aside to start over.`,
        );
      }
      if (response.status !== 200) throw new Error(errorMessage(response));
      batch = response.body.data;
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- it can flip during the await; TS keeps the loop's narrowing.
      if (signal.aborted || error instanceof FatalError) throw error;
      failures++;
      const delay = backoffMs(failures, { baseMs: 500, maxMs: 30_000 });
      log(`feed request failed (${describeError(error)}); retrying in ${delay} ms`);
      await sleep(delay, signal);
      continue;
    }
    if (failures > 0) log('feed reachable again');
    failures = 0;
    if (batch.length > 0) {
      events.append(batch);
      log(`+${batch.length} → ${events.summary()}`);
      for (const event of batch) {
        const guestId = (event.data as { guestId?: unknown } | null)?.guestId;
        if (event.type !== 'guest.erased' || typeof guestId !== 'string') continue;
        log(`guest.erased ${guestId}: removed their details from ${events.erase(guestId)} lines`);
      }
    }
    // A full batch means more is waiting: ask again at once.
    if (batch.length < batchSize) await sleep(pollIntervalMs, signal);
  }
}

class FatalError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The event data without the guest's name, email, phone and notes (Maitred's own rule: any guest
 * snapshot with that id, and a `guest.updated` event's `changes`); the same object when untouched.
 */
function eraseGuest(type: string, data: unknown, guestId: string): unknown {
  const scrub = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(scrub);
    if (typeof value !== 'object' || value === null) return value;
    const result: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value)) result[key] = scrub(child);
    if (value.id === guestId && 'name' in value) {
      Object.assign(result, { name: '' });
      for (const field of ['email', 'phone', 'notes']) if (field in result) result[field] = null;
    }
    if (
      type === 'guest.updated' &&
      typeof result.changes === 'object' &&
      result.changes !== null &&
      !Array.isArray(result.changes)
    ) {
      const guest = result.guest as { id?: unknown } | null;
      if (guest?.id === guestId) {
        const changes = { ...result.changes };
        for (const field of ['name', 'email', 'phone', 'notes']) if (field in changes) changes[field] = { from: null, to: null };
        result.changes = changes;
      }
    }
    return result;
  };
  const erased = scrub(data as Json);
  return JSON.stringify(erased) === JSON.stringify(data) ? data : erased;
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const events = new EventLog(join(dataDir, 'events.ndjson'));
  log(`following ${api.baseUrl}/api/events into ${events.file} (${events.summary()}; cursor ${events.lastId ?? 'start'})`);

  const controller = new AbortController();
  const running = follow(events, controller.signal);
  onShutdown('analytics', async () => {
    controller.abort();
    await running.catch(() => undefined);
    events.close();
    log(`stopped at ${events.summary()}`);
  });
  try {
    await running;
  } catch (error) {
    if (controller.signal.aborted) return;
    events.close();
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`analytics: ${describeError(error)}\n`);
  process.exit(1);
});
