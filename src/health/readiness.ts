/**
 * What readiness is made of, decided from the probes' raw answers: pure, so the table of cases
 * in readiness.spec.ts is the rule.
 */
export type DatabaseCheck = 'ok' | 'unreachable';
export type MigrationsCheck = 'ok' | 'pending' | 'unknown';
export type DispatcherCheck = 'ok' | 'stopped';

export interface ReadinessChecks {
  database: DatabaseCheck;
  migrations: MigrationsCheck;
  dispatcher: DispatcherCheck;
}

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: ReadinessChecks;
  /** The names of the checks that failed, in a fixed order; empty when ready. */
  failed: (keyof ReadinessChecks)[];
}

export interface ProbeResults {
  databaseAnswered: boolean;
  /** null when the question could not be asked (the database did not answer). */
  migrationsPending: boolean | null;
  dispatcherRunning: boolean;
}

export function readiness(probes: ProbeResults): Readiness {
  const checks: ReadinessChecks = {
    database: probes.databaseAnswered ? 'ok' : 'unreachable',
    migrations: probes.migrationsPending === null ? 'unknown' : probes.migrationsPending ? 'pending' : 'ok',
    dispatcher: probes.dispatcherRunning ? 'ok' : 'stopped',
  };
  const failed = (Object.keys(checks) as (keyof ReadinessChecks)[]).filter((name) => checks[name] !== 'ok');
  return { status: failed.length === 0 ? 'ok' : 'unavailable', checks, failed };
}
