import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from './config/app-config';
import { createApp } from './app.factory';

async function main(): Promise<void> {
  const { app, config } = await createApp(process.env);
  await app.listen(config.port);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Plain lines on stdout (not JSON logs): scripts and people wait for them.
  process.stdout.write(`Maitred listening on http://localhost:${port}\n`);

  let stopping = false;
  // server.close() only drops connections that are idle at that moment; a keep-alive connection
  // whose request was still in flight would hold the exit back for the keep-alive timeout. So
  // every response that finishes during shutdown says `Connection: close` and ends its socket.
  const inFlight = new Set<ServerResponse>();
  app.getHttpServer().prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (stopping) response.setHeader('Connection', 'close');
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, shutting down\n`);
    for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
    // Nest's own shutdown hooks re-raise the signal (exit 143); a clean stop should exit 0.
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Maitred failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
