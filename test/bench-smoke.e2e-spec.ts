import { join } from 'node:path';

/**
 * The benchmark (npm run bench) end to end with tiny sizes: every scenario runs against the built
 * app and yields well-formed figures. No timing is asserted; the numbers of a smoke run mean
 * nothing. It starts its own PostgreSQL, so it runs once, in the SQLite project.
 */
const DIST = process.env.MAITRED_DIST ?? join(__dirname, '..', 'dist');
const ON_POSTGRES = process.env.MAITRED_TEST_DB === 'postgres';

interface BenchResult {
  scenario: string;
  metric: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  target: string | null;
  met: boolean | null;
}

interface BenchReport {
  mode: string;
  machine: { cpu: string; cores: number; node: string };
  settings: { pgboss: string | null };
  results: BenchResult[];
  checks: string[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- bench/ is plain CommonJS without types.
const { runBench } = require('../bench/lib/bench') as { runBench: (options: object) => Promise<BenchReport> };

(ON_POSTGRES ? describe.skip : describe)('benchmark smoke run (tiny sizes)', () => {
  let report: BenchReport;

  beforeAll(async () => {
    report = await runBench({ mode: 'smoke', dist: DIST, quiet: true });
  }, 175_000);

  it('reports every scenario, each figure in the documented shape', () => {
    expect(report.mode).toBe('smoke');
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    const scenarios = new Set(report.results.map((r) => parseInt(r.scenario, 10)));
    expect([...scenarios].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const r of report.results) {
      expect(Object.keys(r).sort()).toEqual(['baseline', 'met', 'metric', 'ratio', 'scenario', 'target', 'unit', 'value']);
      expect(typeof r.metric).toBe('string');
      expect(typeof r.unit).toBe('string');
      expect(typeof r.value).toBe('number');
      expect(Number.isFinite(r.value)).toBe(true);
      if (r.baseline === null) expect(r.ratio).toBeNull();
      else expect(r.ratio).toBeCloseTo(r.value! / r.baseline, 1);
      if (r.target === null) expect(r.met).toBeNull();
      else {
        expect(r.target).toMatch(/^(ratio|value) [≥≤] [\d.]+$/);
        expect(typeof r.met).toBe('boolean');
      }
    }
  });

  it('measures what it claims: throughput against the raw limit, targets where the issue sets them', () => {
    const find = (scenario: string, metric: string) => report.results.find((r) => r.scenario === scenario && r.metric === metric);
    for (const scenario of ['2 fan-out SQLite', '2 fan-out PostgreSQL ×1', '2 fan-out PostgreSQL ×2']) {
      const median = find(scenario, 'throughput median');
      expect(median?.value).toBeGreaterThan(0);
      expect(median?.baseline).toBeGreaterThan(0);
      expect(median?.target).toMatch(/^ratio ≥/);
    }
    expect(find('6 isolation', 'throughput median')?.target).toBe('ratio ≥ 0.8');
    const ordered = find('12 per-guest ordering (ordering per_guest)', 'throughput median');
    expect(ordered?.baseline).toBeGreaterThan(0);
    expect(ordered?.target).toBe('ratio ≥ 0.8');
    expect(find('5 check-in throughput', 'throughput median')?.target).toBe('ratio ≥ 0.4');
    expect(find('2 fan-out PostgreSQL ×2', '×2 / ×1, median')?.target).toBe('ratio ≥ 1.6');
    const delayed = find('2 fan-out PostgreSQL, 2 ms per answer', '×2 / ×1, median');
    expect(delayed?.value).toBeGreaterThan(0);
    expect(delayed?.target).toBe('ratio ≥ 1.6');
    const intake = find('9 intake and drain', 'throughput median');
    expect(intake?.value).toBeGreaterThan(0);
    expect(intake?.baseline).toBeGreaterThan(0);
    expect(find('10 metrics overhead (METRICS=on)', 'throughput median')?.target).toBe('ratio ≥ 0.97');
    for (const scenario of ['11 retention stall, SQLite', '11 retention stall, PostgreSQL']) {
      expect(find(scenario, 'longest purge batch')?.target).toBe('value ≤ 50');
      expect(find(scenario, 'check-in p99 during the pass')?.baseline).toBeGreaterThan(0);
    }
    expect(report.results.some((r) => r.scenario === '8 memory' && r.target === 'value ≤ 250')).toBe(true);
    expect(report.settings.pgboss).toMatch(/batchSize \d+, localConcurrency \d+/);
    // Every delivery was signed, every hanging request was held, nothing failed along the way.
    expect(report.checks).toEqual([]);
  });
});
