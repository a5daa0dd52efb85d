import { nextBatchSize } from './batch-size';

describe('nextBatchSize (target 20 ms, 10–500 rows)', () => {
  it.each([
    { title: 'a quick batch doubles', current: 100, elapsedMs: 5, next: 200 },
    { title: 'an unmeasurably quick batch doubles', current: 100, elapsedMs: 0, next: 200 },
    { title: 'growth stops at the maximum', current: 400, elapsedMs: 1, next: 500 },
    { title: 'a batch on target keeps its size', current: 100, elapsedMs: 20, next: 100 },
    { title: 'a slow batch shrinks in proportion', current: 500, elapsedMs: 100, next: 100 },
    { title: 'a very slow batch shrinks to the minimum', current: 50, elapsedMs: 2000, next: 10 },
    { title: 'slightly slow: a little smaller', current: 100, elapsedMs: 25, next: 80 },
  ])('$title', ({ current, elapsedMs, next }) => {
    expect(nextBatchSize(current, elapsedMs)).toBe(next);
  });
});
