import { allocateSlots, type SlotLimits } from './slot-allocation';

const LIMITS: SlotLimits = { perEndpoint: 10, failing: 2 };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `ep${i}`);
const busy = (n: number, each = 1) => new Map(ids(n).map((id) => [id, each]));

describe('allocateSlots', () => {
  interface Case {
    name: string;
    endpoints: string[];
    inFlight?: Map<string, number>;
    failing?: Set<string>;
    budget: number;
    cursor?: number;
    limits?: SlotLimits;
    slots: Record<string, number>;
    cursorAfter: number;
  }
  const cases: Case[] = [
    { name: 'no endpoints', endpoints: [], budget: 8, slots: {}, cursorAfter: 0 },
    {
      name: 'splits the budget into fair shares',
      endpoints: ids(3),
      budget: 6,
      slots: { ep0: 2, ep1: 2, ep2: 2 },
      cursorAfter: 0,
    },
    {
      name: 'rounds the share up, so the last endpoints get what is left',
      endpoints: ids(3),
      inFlight: busy(3),
      budget: 4,
      slots: { ep0: 2, ep1: 2 },
      cursorAfter: 2,
    },
    {
      name: 'gives an idle endpoint one slot even over budget',
      endpoints: ids(3),
      inFlight: new Map([['ep0', 10]]),
      budget: -5,
      slots: { ep1: 1, ep2: 1 },
      cursorAfter: 0,
    },
    {
      name: 'gives a busy endpoint nothing once the budget is spent, and starts there next time',
      endpoints: ids(4),
      inFlight: busy(4),
      budget: 2,
      slots: { ep0: 1, ep1: 1 },
      cursorAfter: 2,
    },
    {
      name: 'starts at the cursor and wraps round',
      endpoints: ids(4),
      inFlight: busy(4),
      budget: 2,
      cursor: 3,
      slots: { ep3: 1, ep0: 1 },
      cursorAfter: 1,
    },
    {
      name: 'holds a failing endpoint to the failing limit',
      endpoints: ids(2),
      failing: new Set(['ep0']),
      budget: 20,
      slots: { ep0: 2, ep1: 10 },
      cursorAfter: 0,
    },
    {
      name: 'counts what a failing endpoint already has in flight',
      endpoints: ids(2),
      inFlight: new Map([['ep0', 2]]),
      failing: new Set(['ep0']),
      budget: 20,
      slots: { ep1: 10 },
      cursorAfter: 0,
    },
    {
      name: 'respects the per-endpoint limit whatever the budget',
      endpoints: ids(2),
      inFlight: new Map([['ep1', 3]]),
      budget: 100,
      limits: { perEndpoint: 4, failing: 2 },
      slots: { ep0: 4, ep1: 1 },
      cursorAfter: 0,
    },
    {
      name: 'skips endpoints at their limit without counting them short',
      endpoints: ids(3),
      inFlight: new Map([
        ['ep0', 10],
        ['ep1', 1],
        ['ep2', 1],
      ]),
      budget: 1,
      slots: { ep1: 1 },
      cursorAfter: 2,
    },
  ];

  it.each(cases)('$name', ({ endpoints, inFlight, failing, budget, cursor, limits, slots, cursorAfter }) => {
    const result = allocateSlots(endpoints, inFlight ?? new Map(), failing ?? new Set(), budget, cursor ?? 0, limits ?? LIMITS);
    expect(Object.fromEntries(result.slots)).toEqual(slots);
    expect(result.cursor).toBe(cursorAfter);
  });

  it('serves every one of 10 busy endpoints within 3 rounds of a budget of 4', () => {
    const served = new Set<string>();
    let cursor = 0;
    const rounds: string[][] = [];
    for (let round = 0; round < 3; round++) {
      const result = allocateSlots(ids(10), busy(10), new Set(), 4, cursor, LIMITS);
      rounds.push([...result.slots.keys()]);
      for (const id of result.slots.keys()) served.add(id);
      cursor = result.cursor;
    }
    expect(rounds).toEqual([
      ['ep0', 'ep1', 'ep2', 'ep3'],
      ['ep4', 'ep5', 'ep6', 'ep7'],
      ['ep8', 'ep9', 'ep0', 'ep1'],
    ]);
    expect(served).toEqual(new Set(ids(10)));
  });

  it('keeps a cursor past the end of a shrunken list in range', () => {
    const result = allocateSlots(ids(3), busy(3), new Set(), 1, 7, LIMITS);
    expect([...result.slots.keys()]).toEqual(['ep1']);
    expect(result.cursor).toBe(2);
  });
});
