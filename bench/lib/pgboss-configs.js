'use strict';
/**
 * pg-boss at its best, not its defaults. Its defaults fetch one job per worker and one worker
 * per queue, then sleep `pollingIntervalSeconds` (2 s) after every fetch that is not a full
 * batch: a few jobs per second. What makes it fast:
 * - `batchSize` > 1 with `burstWhenBatchFull`: while fetches come back full, fetch again at once;
 * - `localConcurrency` workers, so batches overlap and one slow request holds only its batch;
 *   batchSize × localConcurrency = the same concurrency as every other sender here;
 * - `useListenNotify` + queue `notify`: a new job wakes the workers at once (the latency path);
 * - `ANALYZE` after loading: with stale statistics the fetch plans a scan of the whole job table;
 * - a pool big enough for every worker's fetch and completion at once.
 * Each handler sends its batch in parallel (Promise.all), signs with the app's own signer and
 * completes the batch in one query (pg-boss's own batch completion).
 */
function candidates(totalConcurrency, endpoints) {
  const base = {
    useListenNotify: true,
    notify: true,
    burstWhenBatchFull: true,
    analyze: true,
    pollingIntervalSeconds: 0.5,
    notifyPollingIntervalSeconds: 30,
    queuePerEndpoint: false,
  };
  const shapes = [
    { batchSize: 8, localConcurrency: totalConcurrency / 8 },
    { batchSize: 16, localConcurrency: totalConcurrency / 16 },
    { batchSize: 4, localConcurrency: totalConcurrency / 4 },
    { batchSize: 32, localConcurrency: totalConcurrency / 32 },
    { batchSize: 64, localConcurrency: totalConcurrency / 64 },
  ];
  const list = shapes.map((shape) => ({ ...base, ...shape, poolMax: shape.localConcurrency + 6 }));
  // One queue per endpoint, like per-endpoint fairness in the app.
  const perEndpoint = totalConcurrency / endpoints;
  list.push({
    ...base,
    queuePerEndpoint: true,
    batchSize: Math.max(2, perEndpoint / 4),
    localConcurrency: perEndpoint / Math.max(2, perEndpoint / 4),
    poolMax: endpoints * (perEndpoint / Math.max(2, perEndpoint / 4)) + 6,
  });
  return list.map((config) => ({ ...config, localConcurrency: Math.max(1, Math.round(config.localConcurrency)) }));
}

function describe(config) {
  return (
    `${config.queuePerEndpoint ? 'one queue per endpoint' : 'one queue'}, batchSize ${config.batchSize}, ` +
    `localConcurrency ${config.localConcurrency}, burstWhenBatchFull ${config.burstWhenBatchFull}, ` +
    `useListenNotify ${config.useListenNotify} + queue notify ${config.notify}, ANALYZE after loading ${config.analyze}, ` +
    `pool max ${config.poolMax}, pollingIntervalSeconds ${config.pollingIntervalSeconds}`
  );
}

module.exports = { candidates, describe };
