import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool } from 'pg';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO across instances through PostgreSQL (LISTEN/NOTIFY): a broadcast on one instance
 * reaches the clients of every instance, with no broker beside the database.
 */
export class PostgresIoAdapter extends IoAdapter {
  private readonly log = new Logger('PostgresIoAdapter');
  private readonly pool: Pool;

  constructor(app: INestApplicationContext, databaseUrl: string) {
    super(app);
    this.pool = new Pool({ connectionString: databaseUrl, max: 4, application_name: 'maitred-socket.io' });
    this.pool.on('error', (error) => this.log.warn({ err: error }, 'socket.io adapter connection error'));
    // The adapter keeps one client checked out for LISTEN with no 'error' listener, and the pool only
    // watches idle clients: a database restart would raise an unhandled 'error' and kill the process.
    // The adapter reconnects on the client's 'end', which follows.
    this.pool.on('connect', (client) => {
      client.on('error', (error) => this.log.warn({ err: error }, 'socket.io adapter connection lost'));
    });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    server.adapter(
      createAdapter(this.pool, {
        errorHandler: (error) => this.log.warn({ err: error }, 'socket.io adapter error'),
      }),
    );
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.pool.end().catch(() => undefined);
  }
}
