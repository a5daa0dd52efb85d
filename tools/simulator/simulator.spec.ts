import { createWaitEstimator } from '../../src/guests/wait-estimator';
import { DEMO_EVENING, type DrawnParty, drawEvening, newMemory, runEvening } from './evening';
import { eveningSeed, Random } from './random';
import { SERVER_SETTINGS, simulate } from './run';

describe('Random', () => {
  it('repeats itself for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('draws log-normal meals around the asked mean', () => {
    const random = new Random(7);
    const meals = Array.from({ length: 20_000 }, () => random.logNormal(60, 0.35));
    expect(meals.reduce((a, b) => a + b, 0) / meals.length).toBeGreaterThan(58.5);
    expect(meals.reduce((a, b) => a + b, 0) / meals.length).toBeLessThan(61.5);
  });
});

describe('the simulated evening', () => {
  const parties = drawEvening(eveningSeed(1, 0));

  it('draws the same guests for the same seed', () => {
    expect(drawEvening(eveningSeed(1, 0))).toEqual(parties);
    expect(drawEvening(eveningSeed(1, 1))).not.toEqual(parties);
  });

  it('has a quiet start, a rush and a tail', () => {
    const evenings = Array.from({ length: 20 }, (_, i) => drawEvening(eveningSeed(3, i))).flat();
    const perHour = (from: number, to: number) =>
      (evenings.filter((p) => p.arrivesAt >= from && p.arrivesAt < to).length / 20 / (to - from)) * 60;
    expect(perHour(0, 60)).toBeLessThan(6);
    expect(perHour(100, 180)).toBeGreaterThan(14);
    expect(perHour(220, 300)).toBeLessThan(9);
    expect(evenings.every((p) => p.size >= 1 && p.size <= 8 && p.mealMinutes > 0)).toBe(true);
  });

  it('seats every guest who stays at a table that fits, never before they arrive', () => {
    const results = runEvening(parties, { estimator: createWaitEstimator('forward', SERVER_SETTINGS) });
    expect(results).toHaveLength(parties.length);
    for (const result of results) {
      if (result.outcome !== 'seated') continue;
      expect(result.tableCapacity).toBeGreaterThanOrEqual(result.size);
      expect(result.actualWaitMinutes).toBeGreaterThanOrEqual(0);
    }
    expect(results.filter((r) => r.outcome === 'seated').length).toBeGreaterThan(parties.length / 2);
  });

  it('seats the first guest of a quiet evening at once, and the quote says so', () => {
    const [first] = runEvening(parties, { estimator: createWaitEstimator('forward', SERVER_SETTINGS) });
    expect(first).toMatchObject({ outcome: 'seated', actualWaitMinutes: 0, quote: { minutes: 0 } });
    expect(DEMO_EVENING.tables).toEqual([2, 2, 2, 4, 4, 4, 6, 6, 6, 8, 8, 8]);
  });
});

describe('the host and the clock on a hand-built evening', () => {
  const guest = (index: number, arrivesAt: number, mealMinutes: number, extra: Partial<DrawnParty> = {}): DrawnParty => ({
    index,
    arrivesAt,
    size: 2,
    mealMinutes,
    cleaningMinutes: 5,
    balkRoll: 0.99,
    renegeAfterGrace: null,
    ...extra,
  });
  const params = { ...DEMO_EVENING, tables: [2] };

  it('seats each party when the table is clean again, and scores the quotes the estimator gave', () => {
    const memory = newMemory();
    const results = runEvening([guest(0, 0, 30), guest(1, 1, 20), guest(2, 2, 40)], {
      estimator: createWaitEstimator('simple', SERVER_SETTINGS),
      params,
      memory,
    });
    // One 2-seat table, default turn 45: the simple estimator counts only parties waiting ahead (0, 0, 1),
    // not the one at the table; seated at 0, 35 (30 + 5) and 60 (35 + 20 + 5).
    expect(results.map((r) => [r.outcome, r.quote?.minutes, r.actualWaitMinutes, r.tableCapacity])).toEqual([
      ['seated', 0, 0, 2],
      ['seated', 0, 34, 2],
      ['seated', 45, 58, 2],
    ]);
    // The meals are remembered newest first, for the next evening.
    expect(memory.recent.map((m) => m.minutes)).toEqual([40, 20, 30]);
  });

  it('lets a guest walk away from a long quote, and one give up when the wait runs well past it', () => {
    const results = runEvening([guest(0, 0, 100), guest(1, 1, 20, { renegeAfterGrace: 1 }), guest(2, 2, 20, { balkRoll: 0.1 })], {
      estimator: createWaitEstimator('simple', SERVER_SETTINGS),
      params,
    });
    // Guest 1 is quoted 0 and gives up 10 minutes past it; guest 2 hears 45 (a quarter walk away then) and goes.
    expect(results.map((r) => r.outcome)).toEqual(['seated', 'gave_up', 'walked_away']);
  });
});

describe('simulate', () => {
  it('is deterministic for a seed and changes with it', () => {
    const run = (seed: number) => simulate({ seed, evenings: 3 });
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('scores every estimator over the same guests', () => {
    const { scores } = simulate({ seed: 1, evenings: 2 });
    expect(scores.map((s) => s.estimator)).toEqual(['simple', 'forward', 'sampled']);
    expect(new Set(scores.map((s) => s.checkIns)).size).toBe(1);
    for (const s of scores) expect(s.seated + s.walkedAway + s.gaveUp).toBe(s.checkIns);
  });
});
