/** Where due work waits: a durable table of jobs keyed by the webhook-id that brought them. */
export interface DueJobs<J extends { webhookId: string }> {
  due(now: number, limit: number): J[];
  /** When the next pending job is due (epoch ms), or undefined when none is pending. */
  nextDueAt(): number | undefined;
}

/**
 * Runs due jobs a few at a time: `pump()` looks for work now (after a webhook stored a job, or
 * a job finished) and otherwise sleeps until the next one is due. The job itself records its
 * outcome in the store; `onError` hears only about failures to do even that.
 */
export class JobPump<J extends { webhookId: string }> {
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: DueJobs<J>,
    private readonly concurrency: number,
    private readonly run: (job: J) => Promise<void>,
    private readonly onError: (job: J, error: unknown) => void,
  ) {}

  pump(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    const free = this.concurrency - this.inFlight.size;
    if (free > 0) {
      const jobs = this.store.due(now, free + this.inFlight.size).filter((job) => !this.inFlight.has(job.webhookId));
      for (const job of jobs.slice(0, free)) {
        const running = this.run(job)
          .catch((error: unknown) => this.onError(job, error))
          .finally(() => {
            this.inFlight.delete(job.webhookId);
            this.pump();
          });
        this.inFlight.set(job.webhookId, running);
      }
    }
    // Wake for the next retry; a webhook arriving in between calls pump() itself.
    const next = this.store.nextDueAt();
    if (next !== undefined) this.timer = setTimeout(() => this.pump(), Math.min(Math.max(next - now, 10), 60_000));
  }

  /** Stops taking jobs and waits for those running. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.inFlight.values());
  }
}
