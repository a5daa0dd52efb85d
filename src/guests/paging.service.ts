import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ConflictError } from '../common/errors';
import { UnitOfWork } from '../database/unit-of-work';
import { AppConfig } from '../config/app-config';
import { GuestSnapshot, shapeGuestForEvent } from '../events/event-data';
import { EventsService } from '../events/events.service';
import { toTableSnapshot, TablesService } from '../tables/tables.service';
import { GuestEntity } from './guest.entity';
import { GuestsService } from './guests.service';
import { decideConfirm, holdEndsAt, isNoShow, whyNotNotify } from './hold-rules';
import { WaitlistService } from './waitlist.service';

/** Paging a guest ("your table is ready"), their answer, and the no-show when the hold ends. */
@Injectable()
export class PagingService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: EventsService,
    private readonly tables: TablesService,
    private readonly guests: GuestsService,
    private readonly waitlist: WaitlistService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async notify(id: string, input: { tableId?: string; message?: string }): Promise<GuestSnapshot> {
    return this.uow.run(async (tx) => {
      const guest = await this.guests.lock(tx, id);
      const refused = whyNotNotify(guest);
      if (refused) throw new ConflictError(`Cannot notify guest ${id}: ${refused}`);
      const table = input.tableId ? await this.tables.hold(tx, input.tableId, guest.id, guest.partySize) : null;
      const nowMs = this.clock.nowMs();
      const holdUntil = holdEndsAt(nowMs, this.config.tableHoldMs);
      const paged: GuestEntity = {
        // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row to save.
        ...guest,
        notifiedAt: new Date(nowMs).toISOString(),
        holdUntil,
        heldTableId: table?.id ?? null,
        confirmedAt: null,
      };
      await tx.manager.update(
        GuestEntity,
        { id },
        { notifiedAt: paged.notifiedAt, holdUntil: paged.holdUntil, heldTableId: paged.heldTableId, confirmedAt: null },
      );
      const view = await this.guests.viewIn(tx, paged);
      await this.events.record(tx, 'guest.notified', {
        guest: shapeGuestForEvent(view),
        table: table ? toTableSnapshot(table) : null,
        holdUntil,
        message: input.message ?? null,
      });
      return view;
    });
  }

  async confirm(id: string): Promise<GuestSnapshot> {
    return this.uow.run(async (tx) => {
      const guest = await this.guests.lock(tx, id);
      const decision = decideConfirm(guest, this.clock.nowMs());
      if (decision.kind === 'refuse') throw new ConflictError(`Cannot confirm guest ${id}: ${decision.reason}`);
      if (decision.kind === 'already') return this.guests.viewIn(tx, guest);
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row to save.
      const confirmed: GuestEntity = { ...guest, confirmedAt: this.clock.iso() };
      await tx.manager.update(GuestEntity, { id }, { confirmedAt: confirmed.confirmedAt });
      const view = await this.guests.viewIn(tx, confirmed);
      await this.events.record(tx, 'guest.confirmed', { guest: shapeGuestForEvent(view) });
      return view;
    });
  }

  /** Waiting guests whose hold has ended, soonest first. */
  async expiredHolds(limit: number): Promise<string[]> {
    const now = this.clock.iso();
    return this.uow.read(async (manager) => {
      const rows = await manager
        .createQueryBuilder(GuestEntity, 'g')
        .select('g.id', 'id')
        .where("g.status = 'waiting'")
        .andWhere('g.hold_until IS NOT NULL')
        .andWhere('g.hold_until <= :now', { now })
        .orderBy('g.hold_until', 'ASC')
        .limit(limit)
        .getRawMany<{ id: string }>();
      return rows.map((row) => row.id);
    });
  }

  /**
   * Settles one ended hold: the guest leaves as a no-show and a table held for them is freed.
   * The guest row is locked and the update is conditional on the guest still waiting with an
   * ended hold, so when several instances find the same hold only one writes it (false elsewhere).
   */
  async settleNoShow(id: string): Promise<boolean> {
    return this.uow.run(async (tx) => {
      const guest = await this.guests.lock(tx, id);
      const nowMs = this.clock.nowMs();
      if (!isNoShow(guest, nowMs)) return false;
      const leftAt = new Date(nowMs).toISOString();
      const result = await tx.manager
        .createQueryBuilder()
        .update(GuestEntity)
        .set({ status: 'left', leftAt, leftReason: 'no_show' })
        .where("id = :id AND status = 'waiting' AND hold_until <= :leftAt", { id, leftAt })
        .execute();
      if (result.affected !== 1) return false;
      if (guest.heldTableId) await this.tables.releaseHold(tx, guest.heldTableId, guest.id);
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row to save.
      const view = this.waitlist.view({ ...guest, status: 'left', leftAt, leftReason: 'no_show' }, undefined);
      await this.events.record(tx, 'guest.left', { guest: shapeGuestForEvent(view), reason: 'no_show' });
      return true;
    });
  }
}
