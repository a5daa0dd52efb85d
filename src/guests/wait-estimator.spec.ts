import {
  capacityClassFor,
  createWaitEstimator,
  FloorClass,
  FORWARD_DEFAULTS,
  ForwardEstimator,
  playForward,
  quantile,
  Quote,
  SAMPLED_DEFAULTS,
  SampledEstimator,
  unitHash,
  TableNow,
  TurnTimeEstimator,
  turnMinutes,
  waitMinutes,
} from './wait-estimator';

const settings = { defaultTurnMinutes: 45, turnSampleSize: 3 };
const demoFloor: FloorClass[] = [2, 4, 6, 8].map((capacity) => ({ capacity, tables: 3, recentTurnMinutes: [] }));
const minutesOf = (quotes: Map<string, Quote | null> | Map<number, Quote>) =>
  Object.fromEntries([...quotes].map(([id, quote]) => [id, quote === null ? null : quote.minutes]));

describe('capacityClassFor', () => {
  it.each([
    [1, 2],
    [2, 2],
    [3, 4],
    [4, 4],
    [5, 6],
    [7, 8],
    [8, 8],
    [12, 8],
  ])('a party of %i needs the %i-seat class', (partySize, capacity) => {
    expect(capacityClassFor(partySize, [8, 2, 6, 4])).toBe(capacity);
  });

  it('has no class without tables', () => {
    expect(capacityClassFor(2, [])).toBeNull();
  });
});

describe('turnMinutes', () => {
  it.each([
    [[], 45],
    [[30], 30],
    [[30, 60], 45],
    [[10, 20, 30, 1000], 20],
    [[Number.NaN, 40], 40],
  ])('recent %j gives %d', (recent, expected) => {
    expect(turnMinutes(recent, settings)).toBe(expected);
  });
});

describe('waitMinutes', () => {
  it.each([
    [0, 45, 3, 0],
    [1, 45, 3, 15],
    [2, 45, 3, 30],
    [4, 45, 3, 60],
    [1, 50, 3, 17],
    [5, 30, 0, 0],
  ])('%i ahead × %i min / %i tables = %i', (ahead, turn, tables, expected) => {
    expect(waitMinutes(ahead, turn, tables)).toBe(expected);
  });
});

describe('TurnTimeEstimator', () => {
  const estimator = new TurnTimeEstimator(settings);

  it('quotes each party by the parties ahead in its own class only', () => {
    const waitlist = [
      { id: 'a', partySize: 2 },
      { id: 'b', partySize: 4 },
      { id: 'c', partySize: 2 },
      { id: 'd', partySize: 1 },
      { id: 'e', partySize: 3 },
    ];
    const quotes = estimator.quote(waitlist, demoFloor);
    expect(minutesOf(quotes)).toEqual({ a: 0, b: 0, c: 15, d: 30, e: 15 });
  });

  it('uses the recent turn time of the class once there is history', () => {
    const floor: FloorClass[] = [
      { capacity: 2, tables: 2, recentTurnMinutes: [20, 40, 60, 500] },
      { capacity: 4, tables: 1, recentTurnMinutes: [] },
    ];
    const quotes = estimator.quote(
      [
        { id: 'a', partySize: 2 },
        { id: 'b', partySize: 2 },
        { id: 'c', partySize: 4 },
        { id: 'd', partySize: 4 },
      ],
      floor,
    );
    expect(minutesOf(quotes)).toEqual({ a: 0, b: 20, c: 0, d: 45 });
  });

  it('quotes nothing when there are no tables', () => {
    expect(estimator.quote([{ id: 'a', partySize: 2 }], []).get('a')).toBeNull();
  });

  it('gives its point as its range', () => {
    expect(
      estimator
        .quote(
          [
            { id: 'a', partySize: 2 },
            { id: 'b', partySize: 2 },
          ],
          demoFloor,
        )
        .get('b'),
    ).toEqual({ minutes: 15, low: 15, high: 15 });
  });

  it('estimates a new party per class from everyone waiting in that class', () => {
    const estimates = estimator.estimateByClass(
      [
        { id: 'a', partySize: 2 },
        { id: 'b', partySize: 2 },
        { id: 'c', partySize: 7 },
      ],
      demoFloor,
    );
    expect(minutesOf(estimates)).toEqual({ 2: 30, 4: 0, 6: 0, 8: 15 });
  });

  it('ignores classes without tables', () => {
    const floor: FloorClass[] = [
      { capacity: 2, tables: 0, recentTurnMinutes: [] },
      { capacity: 4, tables: 2, recentTurnMinutes: [] },
    ];
    const quotes = estimator.quote(
      [
        { id: 'a', partySize: 2 },
        { id: 'b', partySize: 1 },
      ],
      floor,
    );
    expect(minutesOf(quotes)).toEqual({ a: 0, b: 23 });
  });
});

describe('quantile', () => {
  it.each([
    [[10, 20, 30, 40, 50], 0, 10],
    [[10, 20, 30, 40, 50], 0.5, 30],
    [[10, 20, 30, 40, 50], 0.25, 20],
    [[10, 20, 30, 40, 50], 0.1, 14],
    [[10, 20, 30, 40, 50], 1, 50],
    [[7], 0.85, 7],
  ])('of %j at %d is %d', (sorted, q, expected) => {
    expect(quantile(sorted, q)).toBeCloseTo(expected, 10);
  });
});

describe('playForward (the host rule played forward)', () => {
  const turn = () => 50;
  it.each<[string, number[], { capacity: number; readyAt: number }[], number[]]>([
    [
      'free tables seat the first parties at once',
      [2, 2],
      [
        { capacity: 2, readyAt: 0 },
        { capacity: 2, readyAt: 0 },
      ],
      [0, 0],
    ],
    [
      'the next party waits for the first table to turn',
      [2, 2, 2],
      [
        { capacity: 2, readyAt: 0 },
        { capacity: 2, readyAt: 10 },
      ],
      [0, 10, 50],
    ],
    [
      'a couple first in line takes the big table that frees first',
      [2, 8],
      [
        { capacity: 2, readyAt: 30 },
        { capacity: 8, readyAt: 0 },
      ],
      [0, 50],
    ],
    [
      'a party skips ahead onto a table nobody before it fits',
      [6, 2],
      [
        { capacity: 2, readyAt: 5 },
        { capacity: 6, readyAt: 20 },
      ],
      [20, 5],
    ],
    [
      'on a tie the smaller table goes first',
      [2, 4],
      [
        { capacity: 4, readyAt: 10 },
        { capacity: 2, readyAt: 10 },
      ],
      [10, 10],
    ],
    ['a party larger than every table counts as fitting the largest', [12], [{ capacity: 8, readyAt: 15 }], [15]],
    ['no tables leaves every wait open', [2], [], [Number.POSITIVE_INFINITY]],
  ])('%s', (_, sizes, tables, expected) => {
    expect(playForward(sizes, tables, turn)).toEqual(expected);
  });
});

describe('ForwardEstimator', () => {
  const estimator = new ForwardEstimator({ ...FORWARD_DEFAULTS, defaultTurnMinutes: 45, turnSampleSize: 20 });
  const clean = FORWARD_DEFAULTS.cleaningMinutes;
  const party = (id: string, partySize: number) => ({ id, partySize });
  const floorOf = (capacity: number, states: TableNow[], recentTurnMinutes: number[] = []): FloorClass => ({
    capacity,
    tables: states.length,
    recentTurnMinutes,
    states,
  });
  const free: TableNow = { status: 'free', minutesInStatus: 0 };

  it('is made by name', () => {
    expect(createWaitEstimator('forward', settings).name).toBe('forward');
    expect(createWaitEstimator('simple', settings).name).toBe('simple');
    expect(createWaitEstimator('sampled', settings).name).toBe('sampled');
  });

  it('quotes nothing without tables', () => {
    expect(estimator.quote([party('a', 2)], []).get('a')).toBeNull();
  });

  it('quotes 0 while a fitting table is free, however many wait in the class', () => {
    // The simple estimator says 0, 15, 30 here although three 2-seat tables (and nine more) are free.
    const quotes = estimator.quote([party('a', 2), party('b', 2), party('c', 2)], demoFloor);
    expect(minutesOf(quotes)).toEqual({ a: 0, b: 0, c: 0 });
  });

  it('makes the thirteenth couple on an empty demo floor wait one turn plus cleaning, with the short and long turn as range', () => {
    const line = Array.from({ length: 13 }, (_, i) => party(String(i), 2));
    const thirteenth = estimator.quote(line, demoFloor).get('12');
    expect(thirteenth).toEqual({
      minutes: 45 + clean,
      low: Math.floor(45 * FORWARD_DEFAULTS.lowFactor + clean),
      high: Math.ceil(45 * FORWARD_DEFAULTS.highFactor + clean),
    });
  });

  it('expects an occupied table to free after the rest of the default turn', () => {
    const floor = [floorOf(4, [{ status: 'occupied', minutesInStatus: 30 }])];
    expect(estimator.quote([party('a', 4)], floor).get('a')).toEqual({
      minutes: 45 - 30 + clean,
      low: clean,
      high: Math.ceil(45 * FORWARD_DEFAULTS.highFactor - 30 + clean),
    });
  });

  it('expects a table past its turn to free soon, not at once', () => {
    const floor = [floorOf(4, [{ status: 'occupied', minutesInStatus: 60 }])];
    expect(estimator.quote([party('a', 4)], floor).get('a')?.minutes).toBe(Math.ceil(45 * FORWARD_DEFAULTS.overrunShare + clean));
  });

  it('uses the meals longer than the one at the table so far (mean residual life) once there is history', () => {
    const floor = [floorOf(2, [{ status: 'occupied', minutesInStatus: 55 }], [40, 50, 60, 70, 80])];
    // Of 40…80 only 60, 70, 80 outlast 55 minutes: 5, 15, 25 minutes more, 15 on average.
    expect(estimator.quote([party('a', 2)], floor).get('a')?.minutes).toBe(15 + clean);
  });

  it('uses the whole floor history while a class has too little of its own', () => {
    const floor = [
      floorOf(2, [{ status: 'occupied', minutesInStatus: 0 }], [60, 60]),
      floorOf(4, [free, free, free], [60, 60, 60]),
    ];
    // Five meals of 60 over the floor: the couple's table is free in 60 + cleaning.
    const quotes = estimator.quote([party('x', 4), party('y', 4), party('z', 4), party('a', 2)], floor);
    expect(quotes.get('a')?.minutes).toBe(60 + clean);
  });

  it('counts a table being cleaned as free once cleaning is done', () => {
    const floor = [floorOf(2, [{ status: 'cleaning', minutesInStatus: 2 }])];
    expect(estimator.quote([party('a', 2)], floor).get('a')).toEqual({ minutes: clean - 2, low: clean - 2, high: clean - 2 });
  });

  it('plays the line in order: a couple ahead takes the free 8-seat table', () => {
    const floor = [floorOf(2, [{ status: 'occupied', minutesInStatus: 0 }]), floorOf(8, [free])];
    const quotes = estimator.quote([party('couple', 2), party('eight', 8)], floor);
    expect(minutesOf(quotes)).toEqual({ couple: 0, eight: 45 + clean });
  });

  it('estimates a newcomer per class behind everyone waiting', () => {
    const floor = [floorOf(2, [{ status: 'occupied', minutesInStatus: 10 }]), floorOf(4, [free])];
    const estimates = estimator.estimateByClass([party('a', 3)], floor);
    // The party of 3 takes the free 4-seat table; a couple waits for the 2-seat table (35 + 5),
    // a newcomer of 4 for the 4-seat table to turn (45 + 5).
    expect(minutesOf(estimates)).toEqual({ 2: 40, 4: 50 });
  });

  it('keeps low ≤ minutes ≤ high for every party', () => {
    const history = [30, 45, 50, 55, 60, 65, 70, 90, 120];
    const floor = [2, 4, 6, 8].map((capacity, i) =>
      floorOf(
        capacity,
        [{ status: 'occupied', minutesInStatus: 20 * i }, { status: 'cleaning', minutesInStatus: 1 }, free],
        history,
      ),
    );
    const line = Array.from({ length: 40 }, (_, i) => party(String(i), 1 + (i % 8)));
    for (const quote of estimator.quote(line, floor).values()) {
      expect(quote).not.toBeNull();
      expect(quote!.low).toBeLessThanOrEqual(quote!.minutes);
      expect(quote!.minutes).toBeLessThanOrEqual(quote!.high);
    }
  });
});

describe('unitHash', () => {
  it('is repeatable, in [0, 1) and spread out', () => {
    expect(unitHash(1, 2, 3)).toBe(unitHash(1, 2, 3));
    const draws = Array.from({ length: 4000 }, (_, i) => unitHash(i % 64, Math.floor(i / 64), 7));
    expect(draws.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(new Set(draws).size).toBe(draws.length);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.47);
    expect(mean).toBeLessThan(0.53);
  });
});

describe('SampledEstimator (the forward play, sampled)', () => {
  const estimator = new SampledEstimator({ ...SAMPLED_DEFAULTS, defaultTurnMinutes: 45, turnSampleSize: 20 });
  const clean = SAMPLED_DEFAULTS.cleaningMinutes;
  const party = (id: string, partySize: number) => ({ id, partySize });
  const free: TableNow = { status: 'free', minutesInStatus: 0 };
  const occupied = (minutesInStatus: number, partySize?: number): TableNow => ({
    status: 'occupied',
    minutesInStatus,
    ...(partySize ? { partySize } : {}),
  });
  const floorOf = (
    capacity: number,
    states: TableNow[],
    recentTurnMinutes: number[] = [],
    recentPartyMinutes?: number[],
  ): FloorClass => ({
    capacity,
    tables: states.length,
    recentTurnMinutes,
    states,
    ...(recentPartyMinutes ? { recentPartyMinutes } : {}),
  });
  const sixties = [60, 60, 60, 60, 60];

  it('quotes nothing without tables', () => {
    expect(estimator.quote([party('a', 2)], []).get('a')).toBeNull();
  });

  it('quotes 0 while a fitting table is free', () => {
    expect(minutesOf(estimator.quote([party('a', 2), party('b', 2), party('c', 2)], demoFloor))).toEqual({ a: 0, b: 0, c: 0 });
  });

  it('counts a table being cleaned as free once cleaning is done, in every play', () => {
    expect(estimator.quote([party('a', 2)], [floorOf(2, [{ status: 'cleaning', minutesInStatus: 2 }])]).get('a')).toEqual({
      minutes: clean - 2,
      low: clean - 2,
      high: clean - 2,
    });
  });

  it('with meals that always last an hour, knows to the minute when each party sits', () => {
    const floor = [floorOf(4, [occupied(20)], sixties)];
    const quotes = estimator.quote([party('a', 4), party('b', 2)], floor);
    // The table frees after the 40 minutes left plus cleaning; the next party after a further meal and cleaning.
    expect(quotes.get('a')).toEqual({ minutes: 40 + clean, low: 40 + clean, high: 40 + clean });
    expect(quotes.get('b')).toEqual({ minutes: 40 + clean + 60 + clean, low: 110, high: 110 });
  });

  it('plays many evenings: the first of two tables frees sooner than either is expected to', () => {
    // Meals of 40 or 80 minutes, half and half: one table alone frees after 60 on average, but the
    // first of two is done after 40 three times in four.
    const history = [40, 80, 40, 80, 40, 80];
    const quote = estimator.quote([party('a', 2)], [floorOf(2, [occupied(0), occupied(0)], history)]).get('a');
    expect(quote).toEqual({ minutes: 40 + clean, low: 40 + clean, high: 80 + clean });
    // The single forward play uses the means and says 60 + cleaning.
    const forward = new ForwardEstimator({ ...FORWARD_DEFAULTS, defaultTurnMinutes: 45, turnSampleSize: 20 });
    expect(forward.quote([party('a', 2)], [floorOf(2, [occupied(0), occupied(0)], history)]).get('a')?.minutes).toBe(60 + clean);
  });

  it('draws how much longer a table takes only from the meals that outlast it so far', () => {
    const history = [30, 50, 70, 90, 110];
    const quote = estimator.quote([party('a', 2)], [floorOf(2, [occupied(60)], history)]).get('a')!;
    // 70, 90 or 110 minutes in all: 10, 30 or 50 more.
    expect([10, 30, 50].map((rest) => rest + clean)).toContain(quote.minutes);
    expect(quote.low).toBe(10 + clean);
    expect(quote.high).toBe(50 + clean);
  });

  it('expects a table past every remembered meal to free within a short while', () => {
    const quote = estimator.quote([party('a', 4)], [floorOf(4, [occupied(75)], sixties)]).get('a')!;
    const most = 2 * SAMPLED_DEFAULTS.overrunShare * 60 + clean;
    expect(quote.low).toBeGreaterThanOrEqual(clean);
    expect(quote.high).toBeLessThanOrEqual(Math.ceil(most));
    expect(quote.minutes).toBeGreaterThan(clean);
  });

  it('times a table by the party at it when the floor tells party history (a couple at an 8-seat table)', () => {
    const floor = [
      floorOf(2, [occupied(0, 2)], [], [30, 30, 30, 30, 30]),
      floorOf(8, [occupied(10, 2)], [90, 90, 90, 90, 90], [90, 90, 90, 90, 90]),
    ];
    expect(estimator.quote([party('a', 8)], floor).get('a')?.minutes).toBe(20 + clean);
    // Without party history, by the table: 80 more.
    const byTable = [floorOf(8, [occupied(10, 2)], [90, 90, 90, 90, 90])];
    expect(estimator.quote([party('a', 8)], byTable).get('a')?.minutes).toBe(80 + clean);
  });

  it('spreads the default turn until there is history: median near it, range around it', () => {
    const quote = estimator.quote([party('a', 4)], [floorOf(4, [occupied(0)])]).get('a')!;
    expect(quote.minutes).toBeGreaterThanOrEqual(40);
    expect(quote.minutes).toBeLessThanOrEqual(50);
    expect(quote.low).toBeLessThan(quote.minutes - 10);
    expect(quote.high).toBeGreaterThan(quote.minutes + 10);
  });

  it('gives the same quotes for the same floor, and a party the same quote whoever queues behind it', () => {
    const history = [30, 45, 50, 55, 60, 65, 70, 90, 120];
    const floor = [2, 4, 6, 8].map((capacity, i) => floorOf(capacity, [occupied(15 * i), occupied(5), free], history));
    const line = Array.from({ length: 30 }, (_, i) => party(String(i), 1 + ((i * 5) % 8)));
    const all = estimator.quote(line, floor);
    expect(estimator.quote(line, floor)).toEqual(all);
    for (const cut of [1, 7, 19])
      expect(estimator.quote(line.slice(0, cut), floor).get(String(cut - 1))).toEqual(all.get(String(cut - 1)));
    for (const quote of all.values()) {
      expect(quote!.low).toBeLessThanOrEqual(quote!.minutes);
      expect(quote!.minutes).toBeLessThanOrEqual(quote!.high);
    }
  });

  it('answers from a remembered play exactly as from a fresh one, in any order of calls', () => {
    const history = [30, 45, 50, 55, 60, 65, 70, 90, 120];
    const makeFloor = () => [2, 4, 6].map((capacity, i) => floorOf(capacity, [occupied(12 * i), occupied(4), free], history));
    const line = Array.from({ length: 24 }, (_, i) => party(String(i), 1 + ((i * 3) % 6)));
    const shared = makeFloor();
    const fresh = () => createWaitEstimator('sampled', { defaultTurnMinutes: 60, turnSampleSize: 20 });
    const calls: [string, (e: ReturnType<typeof fresh>, floor: FloorClass[]) => unknown][] = [
      ['quote', (e, floor) => e.quote(line, floor)],
      ['quoteLast', (e, floor) => e.quoteLast(line, floor)],
      ['estimateByClass', (e, floor) => e.estimateByClass(line, floor)],
      ['quote of a shorter line', (e, floor) => e.quote(line.slice(0, 9), floor)],
    ];
    const remembering = fresh();
    // Twice round, so every call after the first four is served from what earlier ones played (and sorted).
    for (const [name, call] of [...calls, ...calls.slice().reverse()]) {
      expect([name, call(remembering, shared)]).toEqual([name, call(fresh(), makeFloor())]);
    }
  });

  it('estimates a newcomer per class behind everyone waiting', () => {
    const floor = [floorOf(2, [occupied(10)], sixties), floorOf(4, [free], sixties)];
    // The party of 3 takes the free 4-seat table; a couple waits for the 2-seat table (50 + 5), a newcomer of 4 a full turn.
    expect(minutesOf(estimator.estimateByClass([party('a', 3)], floor))).toEqual({ 2: 55, 4: 65 });
  });
});
