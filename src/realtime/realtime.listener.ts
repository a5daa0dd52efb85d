import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PgListener } from '../database/pg-listener';
import { CHANGES_CHANNEL, EventsService } from '../events/events.service';
import { ANY_DOMAIN_EVENT, DELIVERY_ATTEMPTED, FLOOR_CHANGED, OnSignal } from '../events/signals';
import { GuestsService } from '../guests/guests.service';
import { WaitlistService } from '../guests/waitlist.service';
import type { DeliveryView } from '../webhooks/delivery-view';
import { FloorGateway } from './floor.gateway';
import { GuestGateway } from './guest.gateway';
import { StaffGateway } from './staff.gateway';

const TAIL_PAGE = 500;
/**
 * How soon to read the feed again while it holds committed events back behind an older open
 * transaction (PostgreSQL; see EventsService.tail): such a transaction is usually milliseconds
 * from its end, and may end without any notification.
 */
const HELD_RETRY_MS = 10;

/**
 * Turns committed changes into live pushes, on every instance for its own clients.
 *
 * After any change, local or (through NOTIFY on PostgreSQL) remote, at most once per burst, an
 * instance reads the event feed from where it last stopped and pushes those events (and offers)
 * in commit order, so staff see events in the feed's order on every instance, as soon as they
 * are committed (a screen that connects gets only what commits after it).
 *
 * The derived views (availability, the waitlist, each open guest page's place and quote) cost far
 * more, so a change only marks them dirty. Their refresh starts at once if the last one started at
 * least `LIVE_REFRESH_MS` ago, else when that interval is over, and never two at a time; so under
 * load each view is recomputed at most once per interval, and the last change is always followed
 * by a refresh that includes it. It reads the line once and sends only what changed. Delivery attempts, which have no order, are pushed once by
 * the instance that made them, through the Socket.IO adapter.
 */
@Injectable()
export class RealtimeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RealtimeListener');
  private readonly intervalMs: number;
  /** A change arrived that no started refresh has read yet. */
  private dirty = false;
  /** A refresh is waiting for its turn (a timer or an immediate). */
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private eventsScheduled = false;
  private eventsRunning: Promise<void> = Promise.resolve();
  private tailRetryScheduled = false;
  /** The last event pushed; undefined until bootstrap has found where history ends. */
  private eventCursor: string | null | undefined;

  constructor(
    private readonly floor: FloorGateway,
    private readonly staff: StaffGateway,
    private readonly guestGateway: GuestGateway,
    private readonly waitlist: WaitlistService,
    private readonly guests: GuestsService,
    private readonly listener: PgListener,
    private readonly events: EventsService,
    config: AppConfig,
  ) {
    this.intervalMs = config.liveRefreshMs;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.eventCursor = await this.events.latestId();
    await this.listener.listen(CHANGES_CHANNEL, () => {
      this.scheduleRefresh();
    });
  }

  @OnSignal(ANY_DOMAIN_EVENT)
  onEvent(): void {
    this.scheduleRefresh();
  }

  @OnSignal(DELIVERY_ATTEMPTED)
  onDeliveryAttempted(delivery: DeliveryView): void {
    this.staff.publishDelivery(delivery);
  }

  @OnSignal(FLOOR_CHANGED)
  onFloorChanged(): void {
    this.scheduleRefresh();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([this.running, this.eventsRunning]);
  }

  private scheduleRefresh(): void {
    this.scheduleEvents();
    this.dirty = true;
    this.schedule();
  }

  /** The event tail runs after every burst of changes, in order, without waiting for the views' interval. */
  private scheduleEvents(): void {
    if (this.eventsScheduled || this.stopped) return;
    this.eventsScheduled = true;
    setImmediate(() => {
      this.eventsRunning = this.eventsRunning.then(() => this.pushEvents());
    });
  }

  private async pushEvents(): Promise<void> {
    this.eventsScheduled = false;
    if (this.stopped) return;
    try {
      await this.pushNewEvents();
    } catch (error) {
      this.logger.error({ err: error }, 'live event push failed');
    }
  }

  /** Reads the feed again soon; only the tail: the derived views read the tables, not the feed. */
  private scheduleTailRetry(): void {
    if (this.tailRetryScheduled || this.stopped) return;
    this.tailRetryScheduled = true;
    setTimeout(() => {
      this.tailRetryScheduled = false;
      this.scheduleEvents();
    }, HELD_RETRY_MS).unref();
  }

  /** Starts a refresh now, or arms one for when the interval since the last start is over. */
  private schedule(): void {
    if (this.scheduled || this.running || this.stopped) return;
    this.scheduled = true;
    const wait = this.lastStartedAt + this.intervalMs - performance.now();
    const start = () => {
      this.timer = undefined;
      this.scheduled = false;
      if (this.stopped) return;
      this.running = this.refresh().finally(() => {
        this.running = undefined;
        if (this.dirty) this.schedule();
      });
    };
    // Even at once, after this tick: the changes committed in the same turn share the refresh.
    if (wait <= 0) setImmediate(start);
    else this.timer = setTimeout(start, wait);
  }

  private async refresh(): Promise<void> {
    this.dirty = false;
    this.lastStartedAt = performance.now();
    try {
      // Only what this instance's clients show is computed: nothing for a screen nobody has open.
      if (this.floor.hasClients()) this.floor.publishAvailability(await this.waitlist.availability());
      const open = new Set(this.guestGateway.localGuestIds());
      this.guestGateway.forgetAllBut(open);
      const staffWatching = this.staff.hasClients();
      if (!staffWatching && open.size === 0) return;
      const waiting = await this.waitlist.waitlist();
      if (staffWatching) this.staff.publishWaitlist(waiting);

      const waitingById = new Map(waiting.map((guest) => [guest.id, guest]));
      for (const id of open) {
        const view = waitingById.get(id);
        if (view) this.guestGateway.publishStatus(view);
      }
      const others = [...open].filter((id) => !waitingById.has(id));
      for (const view of await this.guests.viewsOf(others)) this.guestGateway.publishStatus(view);
    } catch (error) {
      this.logger.error({ err: error }, 'live refresh failed');
    }
  }

  private async pushNewEvents(): Promise<void> {
    if (this.eventCursor === undefined) return;
    for (;;) {
      const page = await this.events.tail({ after: this.eventCursor ?? undefined, limit: TAIL_PAGE });
      for (const event of page.data) {
        this.staff.publishEvent(event);
        if (event.type === 'offer.created') this.guestGateway.publishOffer(event.data.offer);
      }
      this.eventCursor = page.next;
      if (page.held) this.scheduleTailRetry();
      if (page.data.length < TAIL_PAGE) return;
    }
  }
}
