'use strict';
/**
 * Many live Socket.IO clients in one process of their own (like many browsers on other
 * machines, minus the network): `/floor` boards and `/staff` screens. For the broadcast
 * measurement each `/floor` client notes when its next `availability` push arrived.
 */
const { io } = require('socket.io-client');
const { nowMs, serve, sleep } = require('./util');

let sockets = [];
let floor = [];
let expectation = null;
let received = { floor: 0, staffEvents: 0, staffDeliveries: 0, staffWaitlists: 0 };

function connectOne(url, namespace, auth) {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}${namespace}`, { transports: ['websocket'], forceNew: true, reconnection: false, auth });
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`${namespace}: no connection within 20 s`));
    }, 20_000);
    const client = { socket, count: 0, lastAt: 0 };
    const first = namespace === '/floor' ? 'availability' : 'waitlist';
    socket.once(first, () => {
      clearTimeout(timer);
      resolve(client);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${namespace}: ${error.message}`));
    });
    if (namespace === '/floor') {
      socket.on('availability', () => {
        received.floor++;
        client.count++;
        client.lastAt = nowMs();
        if (expectation) checkExpectation();
      });
    } else {
      socket.on('event', () => received.staffEvents++);
      socket.on('delivery', () => received.staffDeliveries++);
      socket.on('waitlist', () => received.staffWaitlists++);
    }
  });
}

function checkExpectation() {
  const e = expectation;
  for (let i = e.checkedUpTo; i < floor.length; i++) {
    if (floor[i].count < e.targets[i]) {
      e.checkedUpTo = i;
      return;
    }
  }
  expectation = null;
  clearTimeout(e.timer);
  let first = Infinity;
  let last = 0;
  for (const client of floor) {
    first = Math.min(first, client.lastAt);
    last = Math.max(last, client.lastAt);
  }
  e.resolve({ first, last, clients: floor.length });
}

serve({
  /** Connects `count` clients to `namespace`, `batch` at a time; resolves once each has its first push. */
  async connect({ url, namespace, count, auth, batch = 50 }) {
    for (let i = 0; i < count; i += batch) {
      const clients = await Promise.all(
        Array.from({ length: Math.min(batch, count - i) }, () => connectOne(url, namespace, auth)),
      );
      sockets.push(...clients);
      if (namespace === '/floor') floor.push(...clients);
      // Gives the server room to breathe between batches, as real clients arrive spread out.
      await sleep(5);
    }
    return { connected: sockets.length, floor: floor.length };
  },
  /** Arms a wait for every /floor client's next `availability`; `await` gives the times. */
  expectNext({ timeoutMs = 10_000 }) {
    if (expectation) throw new Error('already waiting');
    const targets = floor.map((client) => client.count + 1);
    let resolveFn;
    let rejectFn;
    const done = new Promise((resolve, reject) => {
      resolveFn = resolve;
      rejectFn = reject;
    });
    expectation = { targets, checkedUpTo: 0, resolve: resolveFn, done };
    expectation.timer = setTimeout(() => {
      const missing = floor.filter((client, i) => client.count < targets[i]).length;
      expectation = null;
      rejectFn(new Error(`${missing} of ${floor.length} clients got no availability within ${timeoutMs} ms`));
    }, timeoutMs);
    this.pending = done;
    return true;
  },
  await() {
    return this.pending;
  },
  counts() {
    return { ...received, connected: sockets.length };
  },
  async disconnectAll() {
    for (const client of sockets) client.socket.close();
    sockets = [];
    floor = [];
    received = { floor: 0, staffEvents: 0, staffDeliveries: 0, staffWaitlists: 0 };
    await sleep(100);
    return true;
  },
  async close() {
    for (const client of sockets) client.socket.close();
    sockets = [];
    floor = [];
    return true;
  },
});
