import { EntityManager, In } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { GuestTokensService } from '../auth/guest-tokens.service';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError } from '../common/errors';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { advisoryLock } from '../database/locks';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { FieldChange, GuestSnapshot, shapeChangesForEvent, shapeGuestForEvent } from '../events/event-data';
import { EventsService } from '../events/events.service';
import { IdempotencyService, IdempotentRequest, IdempotentResult } from '../idempotency/idempotency.service';
import { toTableSnapshot, TablesService } from '../tables/tables.service';
import { CheckInDto, UpdateGuestDto } from './dto/guest.dto';
import { GuestEntity, GuestStatus, LeaveReason } from './guest.entity';
import { wholeMinutesBetween } from './quote-accuracy';
import { WaitlistService } from './waitlist.service';

export type CheckedInGuest = GuestSnapshot & { token: string };

const UPDATABLE_FIELDS = ['name', 'partySize', 'email', 'phone', 'marketingOptIn'] as const;

/**
 * The check-in's insert as fixed text, its columns taken from the entity's metadata so that a new
 * column can never be left out: through the entity manager it was a query build per check-in.
 */
function guestInsert(manager: EntityManager, postgres: boolean): { sql: string; values: (guest: GuestEntity) => unknown[] } {
  const columns = manager.dataSource.getMetadata(GuestEntity).columns;
  const placeholders = columns.map((_, index) => (postgres ? `$${index + 1}` : '?')).join(', ');
  return {
    sql: `INSERT INTO guests (${columns.map((column) => column.databaseName).join(', ')}) VALUES (${placeholders})`,
    // better-sqlite3 binds no booleans; SQLite stores them as 0 and 1, as TypeORM does.
    values: (guest) =>
      columns.map((column) => {
        const value: unknown = column.getEntityValue(guest);
        return !postgres && typeof value === 'boolean' ? Number(value) : (value ?? null);
      }),
  };
}

/** Check-in, the guest's details, seating and leaving: the rules of a guest's visit. */
@Injectable()
export class GuestsService {
  private insert: ReturnType<typeof guestInsert> | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: EventsService,
    private readonly tables: TablesService,
    private readonly waitlist: WaitlistService,
    private readonly tokens: GuestTokensService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  checkIn(input: CheckInDto, request: IdempotentRequest): Promise<IdempotentResult<CheckedInGuest>> {
    return this.idempotency.execute(
      request,
      async (tx) => {
        const { token, hash } = this.tokens.issue();
        // Check-ins take turns (only they do), and the arrival time is taken under that lock: so
        // check-in order is commit order, and a place in line, once told, only ever improves.
        await advisoryLock(tx, 'checkIn');
        const id = newId('gst');
        // Quoted before the insert: everyone waiting is ahead of a newcomer, and the quote is kept on the row.
        const place = await this.waitlist.placeOfNewcomer(tx.manager, { id, partySize: input.partySize });
        const guest: GuestEntity = {
          id,
          name: input.name,
          partySize: input.partySize,
          email: input.email ?? null,
          phone: input.phone ?? null,
          marketingOptIn: input.marketingOptIn ?? false,
          notes: input.notes ?? null,
          status: 'waiting',
          tableId: null,
          checkedInAt: this.clock.iso(),
          seatedAt: null,
          leftAt: null,
          leftReason: null,
          paidAt: null,
          quotedWaitAtCheckIn: place.quotes.get(id)?.minutes ?? null,
          actualWaitMinutes: null,
          notifiedAt: null,
          holdUntil: null,
          heldTableId: null,
          confirmedAt: null,
          erasedAt: null,
          tokenHash: hash,
        };
        this.insert ??= guestInsert(tx.manager, this.config.isPostgres);
        await tx.manager.query(this.insert.sql, this.insert.values(guest));
        const view = this.waitlist.view(guest, place);
        await this.events.record(tx, 'guest.checked_in', { guest: shapeGuestForEvent(view) });
        // eslint-disable-next-line @typescript-eslint/no-misused-spread -- the view is plain data without methods; the copy is sent as JSON.
        return { ...view, token };
      },
      (body) => body.id,
    );
  }

  async list(status: GuestStatus | undefined, limit: number): Promise<GuestSnapshot[]> {
    return this.uow.read(async (manager) => {
      const guests = await manager.find(GuestEntity, {
        where: status ? { status } : {},
        order: { checkedInAt: 'ASC', id: 'ASC' },
        take: limit,
      });
      return this.waitlist.views(manager, guests);
    });
  }

  async get(id: string): Promise<GuestSnapshot> {
    return this.uow.read(async (manager) => {
      const guest = await manager.findOne(GuestEntity, { where: { id } });
      if (!guest) throw new NotFoundError('Guest', id);
      const [view] = await this.waitlist.views(manager, [guest]);
      return view;
    });
  }

  /** Current views of the given guests (unknown ids are left out). */
  async viewsOf(ids: string[]): Promise<GuestSnapshot[]> {
    if (ids.length === 0) return [];
    return this.uow.read(async (manager) => {
      const guests = await manager.find(GuestEntity, { where: { id: In(ids) } });
      return this.waitlist.views(manager, guests);
    });
  }

  async update(id: string, input: UpdateGuestDto): Promise<GuestSnapshot> {
    return this.uow.run(async (tx) => {
      const guest = await this.lock(tx, id);
      // An erased guest stays erased: details sent afterwards would be stored again.
      if (guest.erasedAt !== null) throw new ConflictError(`Guest ${id} was erased; their details cannot be changed`);
      const changes: Record<string, FieldChange> = {};
      const patch: Partial<GuestEntity> = {};
      for (const field of UPDATABLE_FIELDS) {
        const next = input[field];
        if (next === undefined) continue;
        const previous = field === 'marketingOptIn' ? Boolean(guest[field] as unknown) : guest[field];
        if (previous === next) continue;
        changes[field] = { from: previous, to: next };
        Object.assign(patch, { [field]: next });
      }
      if (Object.keys(patch).length === 0) return this.viewIn(tx, guest);
      await tx.manager.update(GuestEntity, { id }, patch);
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row to save.
      const updated: GuestEntity = { ...guest, ...patch };
      const view = await this.viewIn(tx, updated);
      await this.events.record(tx, 'guest.updated', {
        guest: shapeGuestForEvent(view),
        changes: shapeChangesForEvent(changes, view.marketingOptIn),
      });
      return view;
    });
  }

  async seat(id: string, tableId: string): Promise<GuestSnapshot> {
    return this.uow.run(async (tx) => {
      const guest = await this.lock(tx, id);
      if (guest.status !== 'waiting') {
        throw new ConflictError(`Cannot seat guest ${id}: they are ${guest.status}, not waiting`);
      }
      const table = await this.tables.occupy(tx, tableId, guest.id, guest.partySize);
      // Seated somewhere else than the table held for them: that table is nobody's any more.
      if (guest.heldTableId && guest.heldTableId !== table.id) await this.tables.releaseHold(tx, guest.heldTableId, guest.id);
      const seatedAt = this.clock.iso();
      const change = {
        status: 'seated' as const,
        tableId: table.id,
        seatedAt,
        actualWaitMinutes: wholeMinutesBetween(guest.checkedInAt, seatedAt),
      };
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row to save.
      const seated: GuestEntity = { ...guest, ...change };
      await tx.manager.update(GuestEntity, { id }, change);
      const view = await this.viewIn(tx, seated);
      await this.events.record(tx, 'guest.seated', { guest: shapeGuestForEvent(view), table: toTableSnapshot(table) });
      return view;
    });
  }

  async leave(id: string, requestedReason: LeaveReason | undefined): Promise<GuestSnapshot> {
    return this.uow.run(async (tx) => {
      const guest = await this.lock(tx, id);
      if (guest.status === 'left') throw new ConflictError(`Guest ${id} has already left`);
      return this.leaveIn(tx, guest, requestedReason);
    });
  }

  /**
   * The leave rules inside the caller's transaction, for a guest it locked who has not left
   * (erasure makes a guest leave this way too). A seated guest's table goes to cleaning, a held
   * table is released, and `guest.left` (with `table.status_changed`) is written.
   */
  async leaveIn(tx: Tx, guest: GuestEntity, requestedReason: LeaveReason | undefined): Promise<GuestSnapshot> {
    const id = guest.id;
    const reason: LeaveReason = requestedReason ?? (guest.status === 'seated' ? 'finished' : 'cancelled');
    if (guest.status === 'seated' && guest.tableId) await this.tables.vacate(tx, guest.tableId);
    if (guest.status === 'waiting' && guest.heldTableId) await this.tables.releaseHold(tx, guest.heldTableId, guest.id);
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row to save.
    const left: GuestEntity = { ...guest, status: 'left', leftAt: this.clock.iso(), leftReason: reason };
    await tx.manager.update(GuestEntity, { id }, { status: 'left', leftAt: left.leftAt, leftReason: reason });
    const view = this.waitlist.view(left, undefined);
    await this.events.record(tx, 'guest.left', { guest: shapeGuestForEvent(view), reason });
    return view;
  }

  /** The tables a change of this guest may touch: locked before the caller's first write (src/database/locks.ts). */
  async lockTablesOf(tx: Tx, guest: GuestEntity): Promise<void> {
    for (const tableId of [guest.tableId, guest.heldTableId]) if (tableId) await advisoryLock(tx, 'table', tableId);
  }

  /**
   * Marks the guest's bill paid inside the caller's transaction (the payments module's) and returns
   * their view as of it. A later payment keeps the first one's time.
   */
  async markPaid(tx: Tx, id: string, at: string): Promise<GuestSnapshot> {
    const guest = await this.lock(tx, id);
    if (guest.paidAt !== null) return this.viewIn(tx, guest);
    await tx.manager.update(GuestEntity, { id }, { paidAt: at });
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row to save.
    return this.viewIn(tx, { ...guest, paidAt: at });
  }

  /**
   * The guest row inside a transaction, locked against concurrent changes on PostgreSQL until it
   * ends. An advisory lock, taken before the transaction's first write (see src/database/locks.ts);
   * the read after it sees the latest committed row, since every change of a guest takes it.
   */
  async lock(tx: Tx, id: string): Promise<GuestEntity> {
    await advisoryLock(tx, 'guest', id);
    const guest = await tx.manager.findOne(GuestEntity, { where: { id } });
    if (!guest) throw new NotFoundError('Guest', id);
    return guest;
  }

  /** The API view of a guest as of the caller's transaction. */
  async viewIn(tx: Tx, guest: GuestEntity): Promise<GuestSnapshot> {
    const [view] = await this.waitlist.views(tx.manager, [guest]);
    return view;
  }
}
