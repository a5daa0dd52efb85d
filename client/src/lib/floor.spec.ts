import { capacityClassFor, capacityRows, estimateFor, fittingTables } from './floor';
import type { Availability, Table } from './types';

const table = (label: string, capacity: number, status: Table['status'] = 'free'): Table => ({
  id: `tbl_${label}`,
  label,
  capacity,
  status,
});

describe('the table-fit rule', () => {
  const tables = [
    table('T10', 8),
    table('T2', 4),
    table('T1', 2),
    table('T3', 4, 'occupied'),
    table('T4', 6, 'reserved'),
    table('T5', 4, 'cleaning'),
    table('T9', 4),
  ];

  it('offers only free tables with at least as many seats as the party, best fit first', () => {
    expect(fittingTables(tables, 3).map((t) => t.label)).toEqual(['T2', 'T9', 'T10']);
    expect(fittingTables(tables, 2).map((t) => t.label)).toEqual(['T1', 'T2', 'T9', 'T10']);
  });

  it('a table exactly the party size fits; one seat short does not', () => {
    expect(fittingTables([table('A', 4)], 4)).toHaveLength(1);
    expect(fittingTables([table('A', 4)], 5)).toHaveLength(0);
  });

  it('never offers occupied, reserved or cleaning tables, whatever their size', () => {
    const busy = [table('A', 8, 'occupied'), table('B', 8, 'reserved'), table('C', 8, 'cleaning')];
    expect(fittingTables(busy, 1)).toEqual([]);
  });

  it('orders labels naturally (T2 before T10)', () => {
    expect(fittingTables([table('T10', 4), table('T2', 4)], 4).map((t) => t.label)).toEqual(['T2', 'T10']);
  });
});

describe('capacity classes and estimates', () => {
  it('classes a party by the smallest size that seats it, else the largest', () => {
    expect(capacityClassFor(3, [2, 4, 6])).toBe(4);
    expect(capacityClassFor(2, [6, 2, 4])).toBe(2);
    expect(capacityClassFor(9, [2, 4, 8])).toBe(8);
    expect(capacityClassFor(2, [])).toBeNull();
  });

  const availability: Availability = {
    total: 4,
    free: 2,
    waiting: 3,
    byCapacity: {
      '4': { total: 2, free: 0, estimatedWaitMinutes: 25, estimatedWaitRange: { low: 20, high: 30 } },
      '2': { total: 1, free: 1, estimatedWaitMinutes: 0, estimatedWaitRange: { low: 0, high: 0 } },
      '8': { total: 1, free: 1, estimatedWaitMinutes: 0, estimatedWaitRange: { low: 0, high: 0 } },
    },
    tables: [table('A', 2), table('B', 4, 'occupied'), table('C', 4, 'occupied'), table('D', 8)],
  };

  it('tells a party its class, the fitting free tables and the wait', () => {
    expect(estimateFor(availability, 3)).toEqual({ capacity: 4, free: 1, estimatedWaitMinutes: 25, oversized: false });
    expect(estimateFor(availability, 2)).toEqual({ capacity: 2, free: 2, estimatedWaitMinutes: 0, oversized: false });
    expect(estimateFor(availability, 12)).toEqual({ capacity: 8, free: 0, estimatedWaitMinutes: 0, oversized: true });
  });

  it('lists board rows smallest tables first', () => {
    expect(capacityRows(availability).map((row) => row.capacity)).toEqual([2, 4, 8]);
  });
});
