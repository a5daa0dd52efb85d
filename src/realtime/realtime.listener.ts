import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { PgListener } from '../database/pg-listener';
import { ANY_DOMAIN_EVENT, type RecordedEvent } from '../events/domain-events';
import { CHANGES_CHANNEL, EventsService } from '../events/events.service';
import { GuestsService } from '../guests/guests.service';
import { WaitlistService } from '../guests/waitlist.service';
import { FLOOR_CHANGED } from '../tables/tables.service';
import type { DeliveryView } from '../webhooks/delivery-view';
import { DELIVERY_ATTEMPTED } from '../webhooks/webhook-events';
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
 * in commit order, then recomputes the derived views (availability, the waitlist, each open
 * guest page's place and quote) and sends only what changed. So a long line costs one query per
 * refresh rather than a message per guest through the database, and staff see events in the
 * feed's order on every instance. Delivery attempts, which have no order, are pushed once by
 * the instance that made them, through the Socket.IO adapter.
 */
@Injectable()
export class RealtimeListener implements OnApplicationBootstrap {
  private readonly logger = new Logger('RealtimeListener');
  private refreshScheduled = false;
  private tailRetryScheduled = false;
  private refreshRunning: Promise<void> = Promise.resolve();
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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.eventCursor = await this.events.latestId();
    await this.listener.listen(CHANGES_CHANNEL, () => this.scheduleRefresh());
  }

  @OnEvent(ANY_DOMAIN_EVENT)
  onEvent(): void {
    this.scheduleRefresh();
  }

  @OnEvent(DELIVERY_ATTEMPTED)
  onDeliveryAttempted(delivery: DeliveryView): void {
    this.staff.publishDelivery(delivery);
  }

  @OnEvent(FLOOR_CHANGED)
  onFloorChanged(): void {
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshScheduled) return;
    this.refreshScheduled = true;
    setImmediate(() => {
      this.refreshRunning = this.refreshRunning.then(() => this.refresh());
    });
  }

  private async refresh(): Promise<void> {
    this.refreshScheduled = false;
    try {
      await this.pushNewEvents();
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

  /** Reads the feed again soon; only the tail: the derived views read the tables, not the feed. */
  private scheduleTailRetry(): void {
    if (this.tailRetryScheduled) return;
    this.tailRetryScheduled = true;
    setTimeout(() => {
      this.tailRetryScheduled = false;
      this.refreshRunning = this.refreshRunning.then(() =>
        this.pushNewEvents().catch((error: unknown) => {
          this.logger.error({ err: error }, 'live event tail failed');
        }),
      );
    }, HELD_RETRY_MS).unref();
  }

  private async pushNewEvents(): Promise<void> {
    if (this.eventCursor === undefined) return;
    for (;;) {
      const page = await this.events.tail({ after: this.eventCursor ?? undefined, limit: TAIL_PAGE });
      for (const event of page.data) {
        this.staff.publishEvent(event);
        if (event.type === 'offer.created') {
          this.guestGateway.publishOffer((event as RecordedEvent<'offer.created'>).data.offer);
        }
      }
      this.eventCursor = page.next;
      if (page.held) this.scheduleTailRetry();
      if (page.data.length < TAIL_PAGE) return;
    }
  }
}
