import { capacityClassFor, FloorClass, TurnTimeEstimator, turnMinutes, waitMinutes } from './wait-estimator';

const settings = { defaultTurnMinutes: 45, turnSampleSize: 3 };
const demoFloor: FloorClass[] = [2, 4, 6, 8].map((capacity) => ({ capacity, tables: 3, recentTurnMinutes: [] }));

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
    expect(Object.fromEntries(quotes)).toEqual({ a: 0, b: 0, c: 15, d: 30, e: 15 });
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
    expect(Object.fromEntries(quotes)).toEqual({ a: 0, b: 20, c: 0, d: 45 });
  });

  it('quotes nothing when there are no tables', () => {
    expect(estimator.quote([{ id: 'a', partySize: 2 }], []).get('a')).toBeNull();
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
    expect(Object.fromEntries(estimates)).toEqual({ 2: 30, 4: 0, 6: 0, 8: 15 });
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
    expect(Object.fromEntries(quotes)).toEqual({ a: 0, b: 23 });
  });
});
