'use strict';
/**
 * A TCP proxy in front of PostgreSQL that holds every answer of the server for a fixed time before
 * passing it on: a database a network hop away, on a machine whose two cores cannot show a second
 * instance adding throughput by itself. An instance that waits on its round trips is then slow
 * for a reason that a second instance does not share, unless the two wait on each other in the
 * database (a lock, one serial statement), which is what the measurement looks for.
 */
const net = require('node:net');
const { serve } = require('./util');

let server = null;
const sockets = new Set();

/** `delayMs` per answer, in arrival order (timers of the same duration fire in the order they were set). */
function start({ targetHost, targetPort, delayMs }) {
  return new Promise((resolvePromise, reject) => {
    server = net.createServer((client) => {
      const upstream = net.connect(targetPort, targetHost);
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      sockets.add(client);
      sockets.add(upstream);
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        setTimeout(() => {
          if (!client.destroyed) client.write(chunk);
        }, delayMs);
      });
      const close = () => {
        // After the delayed answers still on their way.
        setTimeout(() => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        }, delayMs + 1);
      };
      client.on('close', close);
      upstream.on('close', close);
      client.on('error', close);
      upstream.on('error', close);
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePromise({ port: server.address().port }));
  });
}

serve({
  start,
  async close() {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (server) await new Promise((done) => server.close(() => done()));
    server = null;
    return true;
  },
});
