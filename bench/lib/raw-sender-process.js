'use strict';
/**
 * The raw limit: a bare undici keep-alive POST loop from one process, with the same
 * concurrency per receiver as the app's dispatcher and bodies of the same size, and nothing
 * else (no database, no signing). Whatever a sender does on top of this costs throughput.
 */
const { Agent, request } = require('undici');
const { nowMs, serve, sleep } = require('./util');
const { makeEvents, bodyOf } = require('./payloads');

let agent = null;

serve({
  /** Sends `perUrl` requests to each url with `concurrency` requests in flight per url. */
  async run({ urls, perUrl, concurrency, bodies, headers }) {
    agent ??= new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
    let failures = 0;
    let next = 0;
    await Promise.all(
      urls.flatMap((url) => {
        let left = perUrl;
        return Array.from({ length: concurrency }, async () => {
          while (left > 0) {
            left--;
            const body = bodies[next++ % bodies.length];
            const response = await request(url, { method: 'POST', dispatcher: agent, headers, body });
            await response.body.dump();
            if (response.statusCode < 200 || response.statusCode >= 300) failures++;
          }
        });
      }),
    );
    return { sent: urls.length * perUrl, failures };
  },
  /**
   * Open loop at `rate` requests per second over all urls (round robin), each a distinct guest
   * event; returns when each request was sent, per guest, for the one-hop latency.
   */
  async paced({ urls, rate, seconds, concurrency, headers }) {
    agent ??= new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
    const events = makeEvents(Math.max(1, Math.round(rate * seconds)));
    const sent = [];
    const inFlight = [];
    const start = nowMs() + 20;
    for (let i = 0; i < events.length; i++) {
      const scheduled = start + (i * 1000) / rate;
      const wait = scheduled - nowMs();
      if (wait > 1) await sleep(wait);
      const at = nowMs();
      sent.push([events[i].guestId, at]);
      inFlight.push(
        request(urls[i % urls.length], { method: 'POST', dispatcher: agent, headers, body: bodyOf(events[i]) }).then((r) =>
          r.body.dump(),
        ),
      );
    }
    await Promise.all(inFlight);
    return { sent };
  },
  async close() {
    if (agent) await agent.close();
    agent = null;
    return true;
  },
});
