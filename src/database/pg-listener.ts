import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';

const RECONNECT_DELAY_MS = 1_000;

/**
 * One dedicated PostgreSQL connection for LISTEN, reconnecting by itself after a database
 * restart, so instances can wake each other right after a commit (NOTIFY is delivered on commit).
 */
@Injectable()
export class PgListener implements OnModuleDestroy {
  private readonly logger = new Logger('PgListener');
  private readonly handlers = new Map<string, Array<() => void>>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly config: AppConfig) {}

  /** Calls `handler` for every NOTIFY on `channel` (and once after each reconnect, for anything missed). */
  async listen(channel: string, handler: () => void): Promise<void> {
    if (!this.config.isPostgres) return;
    const list = this.handlers.get(channel) ?? [];
    list.push(handler);
    this.handlers.set(channel, list);
    await this.ensureConnected();
    await this.client?.query(`LISTEN ${quoteIdentifier(channel)}`);
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
      for (const handler of this.handlers.get(message.channel) ?? []) handler();
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'LISTEN connection lost; reconnecting');
      this.dropAndRetry(client);
    });
    client.on('end', () => this.dropAndRetry(client));
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
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

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
