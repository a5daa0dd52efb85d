import { ago, money, ordinal, parseAmount, waitText } from './format';

describe('display formats', () => {
  it('ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });

  it('quoted waits', () => {
    expect(waitText(0)).toBe('No wait');
    expect(waitText(null)).toBe('—');
    expect(waitText(12)).toBe('About 12 min');
    expect(waitText(60)).toBe('About 1 h');
    expect(waitText(95)).toBe('About 1 h 35 min');
  });

  it('relative times', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(ago('2026-01-01T11:59:50Z', now)).toBe('just now');
    expect(ago('2026-01-01T11:55:00Z', now)).toBe('5 min ago');
    expect(ago('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(ago(null, now)).toBe('');
  });

  it('parses amounts into minor units, refusing anything else', () => {
    expect(parseAmount('42.50')).toBe(4250);
    expect(parseAmount('42,5')).toBe(4250);
    expect(parseAmount('7')).toBe(700);
    expect(parseAmount('0.01')).toBe(1);
    for (const bad of ['', '0', '0.00', '-1', '1.234', 'abc', '1e3']) expect(parseAmount(bad)).toBeNull();
  });

  it('formats money from minor units', () => {
    expect(money(4250, 'EUR')).toMatch(/42[.,]50/);
    expect(money(500, 'JPY')).toMatch(/500/);
  });
});
