import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DispatcherService } from '../webhooks/dispatcher.service';
import { type Readiness, readiness } from './readiness';

const PROBE_TIMEOUT_MS = 2_000;

/** The probes behind /health and /health/ready: the database, the migrations, the dispatcher. */
@Injectable()
export class HealthService {
  /** Applied migrations stay applied: once seen complete, the check costs no more queries. */
  private migrationsApplied = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: DispatcherService,
  ) {}

  /** Whether the database answers `SELECT 1` within the probe timeout. */
  async databaseAnswers(): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    // Not through UnitOfWork.read: `SELECT 1` reads no rows, so another unit's uncommitted work cannot
    // show in it, and queued behind the writes on SQLite it would time the queue, not the database.
    return (await this.withinTimeout(this.dataSource.query('SELECT 1'))) !== null;
  }

  async readiness(): Promise<Readiness> {
    const databaseAnswered = await this.databaseAnswers();
    let migrationsPending: boolean | null = null;
    if (this.migrationsApplied) migrationsPending = false;
    else if (databaseAnswered) {
      migrationsPending = await this.withinTimeout(this.dataSource.showMigrations());
      if (migrationsPending === false) this.migrationsApplied = true;
    }
    return readiness({ databaseAnswered, migrationsPending, dispatcherRunning: this.dispatcher.isRunning() });
  }

  /** The probe's answer, or null when it failed or took longer than the timeout (a failed probe is the answer, not an error). */
  private async withinTimeout<T>(probe: Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        probe,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error('health probe timed out'));
          }, PROBE_TIMEOUT_MS);
        }),
      ]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
