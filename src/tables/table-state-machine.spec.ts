import { TABLE_STATUSES, TableStatus } from './table.entity';
import { explainIllegalTransition, TableTransitionCause } from './table-state-machine';

const legal: [TableStatus, TableStatus, TableTransitionCause][] = [
  ['free', 'occupied', 'seat'],
  ['occupied', 'cleaning', 'leave'],
  ['cleaning', 'free', 'staff'],
  ['free', 'reserved', 'staff'],
  ['reserved', 'free', 'staff'],
  ['free', 'reserved', 'hold'],
  ['reserved', 'occupied', 'seat-held'],
  ['reserved', 'free', 'release'],
];

describe('table state machine', () => {
  it.each(legal)('allows %s → %s by %s', (from, to, cause) => {
    expect(explainIllegalTransition(from, to, cause)).toBeNull();
  });

  const causes: TableTransitionCause[] = ['seat', 'leave', 'staff', 'hold', 'seat-held', 'release'];
  const illegal = TABLE_STATUSES.flatMap((from) =>
    TABLE_STATUSES.flatMap((to) =>
      causes
        .filter((cause) => !legal.some(([f, t, c]) => f === from && t === to && c === cause))
        .map((cause) => [from, to, cause] as [TableStatus, TableStatus, TableTransitionCause]),
    ),
  );

  it.each(illegal)('refuses %s → %s by %s with a reason', (from, to, cause) => {
    const reason = explainIllegalTransition(from, to, cause);
    expect(typeof reason).toBe('string');
    expect(reason!.length).toBeGreaterThan(10);
  });

  it('explains why an occupied table cannot be set by staff', () => {
    expect(explainIllegalTransition('occupied', 'free', 'staff')).toMatch(/occupied/);
  });

  it('explains why a reserved table cannot be seated', () => {
    expect(explainIllegalTransition('reserved', 'occupied', 'seat')).toMatch(/reserved/);
  });
});
