import { OriginGate } from './origin-gate';

const A = 'http://a.example:80';
const B = 'https://b.example';

/** Lets every settled promise's callbacks run. */
const drain = () => new Promise((resolve) => setImmediate(resolve));

describe('OriginGate', () => {
  it('admits up to the limit per origin at once, each origin on its own', async () => {
    const gate = new OriginGate(2);
    const admitted: string[] = [];
    for (const [origin, name] of [
      [A, 'a1'],
      [A, 'a2'],
      [A, 'a3'],
      [B, 'b1'],
    ]) {
      void gate.acquire(origin).then(() => admitted.push(name));
    }
    await drain();
    expect(admitted).toEqual(['a1', 'a2', 'b1']);
    expect(gate.activeAt(A)).toBe(2);
    expect(gate.waitingAt(A)).toBe(1);
    expect(gate.waitingAt(B)).toBe(0);
  });

  it('passes a released place to the next in arrival order', async () => {
    const gate = new OriginGate(1);
    const admitted: number[] = [];
    for (const n of [1, 2, 3]) void gate.acquire(A).then(() => admitted.push(n));
    await drain();
    expect(admitted).toEqual([1]);
    gate.release(A);
    await drain();
    expect(admitted).toEqual([1, 2]);
    expect(gate.activeAt(A)).toBe(1);
    gate.release(A);
    await drain();
    expect(admitted).toEqual([1, 2, 3]);
    gate.release(A);
    expect(gate.activeAt(A)).toBe(0);
    expect(gate.waitingAt(A)).toBe(0);
  });

  it('forgets an origin once nothing is on the wire there, and ignores a stray release', async () => {
    const gate = new OriginGate(3);
    await gate.acquire(A);
    gate.release(A);
    gate.release(A);
    expect(gate.activeAt(A)).toBe(0);
    await Promise.all([gate.acquire(A), gate.acquire(A), gate.acquire(A)]);
    expect(gate.activeAt(A)).toBe(3);
  });
});
