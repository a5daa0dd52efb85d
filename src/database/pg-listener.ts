import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

const RECONNECT_DELAY_MS = 1_000;

/** The one NOTIFY channel; the payload lists the topics (comma-separated) that have news. */
const CHANNEL = 'maitred';

/**
 * One dedicated PostgreSQL connection for LISTEN, reconnecting by itself after a database
 * restart, so instances can wake each other right after a commit; and the sending side.
 *
 * Topics are sent after the commit, not inside the transaction, and at most once per event-loop
 * turn for every transaction that committed in it: a NOTIFY inside a transaction makes its
 * commit take a database-wide lock (PostgreSQL serializes the commits of notifying transactions),
 * and it was one more round trip while the transaction held its locks. The cost: if the process
 * dies between a commit and the notification, other instances hear of that change only with the
 * next one (their live views), or by their dispatcher's poll (deliveries, within a second).
 */
@Injectable()
export class PgListener implements OnModuleDestroy {
  private readonly logger = new Logger('PgListener');
  private readonly handlers = new Map<string, (() => void)[]>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private readonly pendingTopics = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** Calls `handler` for every notification of `topic` (and once after each reconnect, for anything missed). */
  async listen(topic: string, handler: () => void): Promise<void> {
    if (!this.config.isPostgres) return;
    const list = this.handlers.get(topic) ?? [];
    list.push(handler);
    this.handlers.set(topic, list);
    await this.ensureConnected();
  }

  /** Tells every instance (this one too) about `topics` of a transaction that has committed. */
  publish(topics: Iterable<string>): void {
    if (!this.config.isPostgres || this.closed) return;
    if (this.pendingTopics.size === 0) setImmediate(() => void this.flush());
    for (const topic of topics) this.pendingTopics.add(topic);
  }

  private async flush(): Promise<void> {
    if (this.pendingTopics.size === 0) return;
    const payload = [...this.pendingTopics].join(',');
    this.pendingTopics.clear();
    try {
      await this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
    } catch (error) {
      // Not retried: the receivers' reconnect and poll paths look for work anyway.
      if (!this.closed) this.logger.warn({ err: error }, `NOTIFY ${payload} failed`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'maitred-listener' });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL) return;
      for (const topic of (message.payload ?? '').split(',')) for (const handler of this.handlers.get(topic) ?? []) handler();
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'LISTEN connection lost; reconnecting');
      this.dropAndRetry(client);
    });
    client.on('end', () => this.dropAndRetry(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
    // Notifications sent while we were away are lost; let every listener look for work once.
    for (const handlers of this.handlers.values()) for (const handler of handlers) handler();
  }

  private dropAndRetry(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closed) return;
    setTimeout(() => {
      this.ensureConnected().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'LISTEN reconnect failed; will retry');
        this.dropAndRetryLater();
      });
    }, RECONNECT_DELAY_MS).unref();
  }

  private dropAndRetryLater(): void {
    if (this.closed) return;
    setTimeout(() => {
      this.ensureConnected().catch(() => this.dropAndRetryLater());
    }, RECONNECT_DELAY_MS).unref();
  }
}
