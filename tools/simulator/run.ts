import { scoreWaits, type Accuracy } from '../../src/guests/quote-accuracy';
import {
  createWaitEstimator,
  type EstimatorSettings,
  WAIT_ESTIMATOR_NAMES,
  type WaitEstimatorName,
} from '../../src/guests/wait-estimator';
import {
  DEMO_EVENING,
  type DrawnParty,
  drawEvening,
  type EveningParameters,
  newMemory,
  type PartyResult,
  runEvening,
} from './evening';
import { eveningSeed } from './random';

/** The server's settings: DEFAULT_TURN_MINUTES' default and the waitlist service's sample size. */
export const SERVER_SETTINGS: EstimatorSettings = { defaultTurnMinutes: 45, turnSampleSize: 20 };

const WARM_UP_INDEX = 1_000_000;

export interface SimulationOptions {
  seed: number;
  evenings: number;
  estimators?: readonly WaitEstimatorName[];
  params?: EveningParameters;
  settings?: EstimatorSettings;
}

export interface EstimatorScore {
  estimator: WaitEstimatorName;
  checkIns: number;
  seated: number;
  walkedAway: number;
  gaveUp: number;
  accuracy: Accuracy;
  /** Share of seated guests whose actual wait fell inside the quoted range. */
  rangeCoverage: number | null;
  meanRangeWidthMinutes: number | null;
  meanActualWaitMinutes: number | null;
}

export interface SimulationResult {
  seed: number;
  evenings: number;
  scores: EstimatorScore[];
}

/** A seated party: seating sets its wait and table together, and every party got a quote or null. */
type SeatedResult = PartyResult & { quote: NonNullable<PartyResult['quote']>; actualWaitMinutes: number; tableCapacity: number };

export function score(estimator: WaitEstimatorName, results: PartyResult[]): EstimatorScore {
  const seated = results.filter(
    (r): r is SeatedResult =>
      r.outcome === 'seated' && r.quote !== null && r.actualWaitMinutes !== null && r.tableCapacity !== null,
  );
  const accuracy = scoreWaits(
    seated.map((r) => ({ quotedMinutes: r.quote.minutes, actualMinutes: r.actualWaitMinutes, capacity: r.tableCapacity })),
  );
  const covered = seated.filter((r) => r.quote.low <= r.actualWaitMinutes && r.actualWaitMinutes <= r.quote.high).length;
  const avg = (values: number[]) =>
    values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
  return {
    estimator,
    checkIns: results.length,
    seated: seated.length,
    walkedAway: results.filter((r) => r.outcome === 'walked_away').length,
    gaveUp: results.filter((r) => r.outcome === 'gave_up').length,
    accuracy,
    rangeCoverage: seated.length === 0 ? null : Math.round((covered / seated.length) * 10_000) / 10_000,
    meanRangeWidthMinutes: avg(seated.map((r) => r.quote.high - r.quote.low)),
    meanActualWaitMinutes: avg(seated.map((r) => r.actualWaitMinutes)),
  };
}

/** Every estimator over the same seeded evenings; each evening's guests are the same for all of them. */
export function simulate(options: SimulationOptions): SimulationResult {
  const names = options.estimators ?? WAIT_ESTIMATOR_NAMES;
  const settings = options.settings ?? SERVER_SETTINGS;
  const params = options.params ?? DEMO_EVENING;
  const evenings = Array.from({ length: options.evenings }, (_, index) => drawEvening(eveningSeed(options.seed, index), params));
  // A warm-up evening, not scored, so the first scored one starts with history as a restaurant's would.
  const warmUp = drawEvening(eveningSeed(options.seed, WARM_UP_INDEX), params);
  const scores = names.map((name) => {
    const estimator = createWaitEstimator(name, settings);
    const memory = newMemory();
    const run = (parties: DrawnParty[]) => runEvening(parties, { estimator, params, memory });
    run(warmUp);
    return score(
      name,
      evenings.flatMap((parties) => run(parties)),
    );
  });
  return { seed: options.seed, evenings: options.evenings, scores };
}

const pct = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)} %`);
const num = (value: number | null, digits = 1) => (value === null ? '–' : value.toFixed(digits));

/** A Markdown table: one row per estimator, then the targets against the first (the baseline). */
export function formatTable(result: SimulationResult): string {
  const lines = [
    `${result.evenings} evenings from seed ${result.seed}, demo floor (3 tables each of 2, 4, 6, 8 seats).`,
    '',
    '| estimator | check-ins | seated | walked away | gave up | mean actual wait | MAE (min) | within ±5 min | under-quoted | range coverage | mean range width |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of result.scores) {
    lines.push(
      `| ${s.estimator} | ${s.checkIns} | ${s.seated} | ${s.walkedAway} | ${s.gaveUp} | ${num(s.meanActualWaitMinutes)} | ` +
        `${num(s.accuracy.meanAbsoluteErrorMinutes, 2)} | ${pct(s.accuracy.withinFiveMinutesShare)} | ${pct(s.accuracy.underQuotedShare)} | ` +
        `${pct(s.rangeCoverage)} | ${num(s.meanRangeWidthMinutes)} |`,
    );
  }
  lines.push('', 'MAE per table size seated at (minutes):', '');
  const capacities = [...new Set(result.scores.flatMap((s) => Object.keys(s.accuracy.byCapacity)))].sort(
    (a, b) => Number(a) - Number(b),
  );
  lines.push(
    `| estimator | ${capacities.map((c) => `${c} seats`).join(' | ')} |`,
    `|---|${capacities.map(() => '---:').join('|')}|`,
  );
  for (const s of result.scores) {
    lines.push(
      `| ${s.estimator} | ${capacities.map((c) => num((s.accuracy.byCapacity[c] as Accuracy['byCapacity'][string] | undefined)?.meanAbsoluteErrorMinutes ?? null, 2)).join(' | ')} |`,
    );
  }
  const baseline = result.scores.find((s) => s.estimator === 'simple');
  const candidates = result.scores.filter((s) => s.estimator !== 'simple');
  if (baseline && candidates.length > 0) {
    lines.push('', 'Targets (against `simple` on the same evenings):', '');
    for (const s of candidates) {
      const ratio =
        baseline.accuracy.meanAbsoluteErrorMinutes && s.accuracy.meanAbsoluteErrorMinutes !== null
          ? s.accuracy.meanAbsoluteErrorMinutes / baseline.accuracy.meanAbsoluteErrorMinutes
          : null;
      const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
      lines.push(
        `- ${s.estimator}: MAE ${num(ratio, 2)} × simple's (target ≤ 0.70: ${mark(ratio !== null && ratio <= 0.7)}); ` +
          `under-quoted ${pct(s.accuracy.underQuotedShare)} (target ≤ 35 %: ${mark((s.accuracy.underQuotedShare ?? 1) <= 0.35)}); ` +
          `range coverage ${pct(s.rangeCoverage)} (target ≥ 80 %: ${mark((s.rangeCoverage ?? 0) >= 0.8)})`,
      );
    }
  }
  return lines.join('\n');
}
