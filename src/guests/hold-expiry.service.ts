import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PagingService } from './paging.service';

/** How often ended holds are looked for; a hold is settled at most this long (plus a sweep) after it ends. */
const SWEEP_INTERVAL_MS = 1_000;
const SWEEP_BATCH = 50;

/**
 * Settles ended holds (no-shows). Holds live only in the database: each instance looks for ended
 * ones at start (so one that ended while every instance was down is settled at once) and then
 * every second; PagingService.settleNoShow makes sure each is settled once over all instances.
 */
@Injectable()
export class HoldExpiryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HoldExpiry');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly paging: PagingService) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Settles every hold that has ended by now; the number settled by this instance. */
  async sweep(): Promise<number> {
    let settled = 0;
    for (;;) {
      const ids = await this.paging.expiredHolds(SWEEP_BATCH);
      for (const id of ids) {
        if (this.stopping) return settled;
        if (await this.paging.settleNoShow(id)) settled++;
      }
      if (ids.length < SWEEP_BATCH) return settled;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .then((settled) => {
          if (settled > 0) this.logger.log(`${settled} hold(s) ended: no-show`);
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'hold expiry sweep failed'))
        .finally(() => this.schedule(SWEEP_INTERVAL_MS));
    }, delayMs);
    this.timer.unref();
  }
}
