import { Injectable, Logger } from '@nestjs/common';
import { IsNull, LessThan } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { ERASED_NAME } from '../events/erasure';
import { GuestSnapshot } from '../events/event-data';
import { EventsService } from '../events/events.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { GuestEntity } from './guest.entity';
import { GuestsService } from './guests.service';

/** What erasure writes on the guest row: the personal fields go, times and party size stay. */
function erasedFields(at: string): Pick<GuestEntity, 'name' | 'email' | 'phone' | 'notes' | 'erasedAt'> {
  return { name: ERASED_NAME, email: null, phone: null, notes: null, erasedAt: at };
}

/**
 * Erasure of a guest (DELETE /api/guests/:id, and retention for left guests): README, "Erasure
 * and retention". One transaction: a guest still waiting or seated leaves by the ordinary leave
 * rules (the table is freed, the usual events written), the personal fields are removed from the
 * row and from every stored event, the stored idempotent responses about the guest are deleted,
 * and `guest.erased { guestId }` is written (and delivered like any event).
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger('Erasure');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly guests: GuestsService,
    private readonly events: EventsService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Erases the guest; erasing one already erased changes nothing and writes no event. 404 when unknown. */
  async erase(id: string): Promise<GuestSnapshot> {
    const { view, erased } = await this.uow.run(async (tx) => {
      const guest = await this.guests.lock(tx, id);
      if (guest.erasedAt !== null) return { view: await this.guests.viewIn(tx, guest), erased: false };
      return { view: await this.eraseIn(tx, guest), erased: true };
    });
    if (erased) await this.flushSqlite();
    return view;
  }

  /**
   * Erases a guest the caller's transaction has locked (GuestsService.lock) and that is not
   * erased yet; returns the erased view.
   */
  async eraseIn(tx: Tx, guest: GuestEntity): Promise<GuestSnapshot> {
    // Leaving may touch the guest's table: its lock is taken before this transaction's first write.
    await this.guests.lockTablesOf(tx, guest);
    // SQLite zeroes the space the erasure frees only while secure_delete is on: on for these
    // statements alone, since on for every statement it doubled the cost of the delivery engine's
    // writes (measured: 2,600 endpoints' deliveries in 67 s with it, 33 s without).
    if (!this.config.isPostgres) await tx.manager.query('PRAGMA secure_delete = ON');
    try {
      return await this.eraseRows(tx, guest);
    } finally {
      if (!this.config.isPostgres) await tx.manager.query('PRAGMA secure_delete = OFF');
    }
  }

  private async eraseRows(tx: Tx, guest: GuestEntity): Promise<GuestSnapshot> {
    const fields = erasedFields(this.clock.iso());
    // The row is erased first, so the guest.left written below (and handed to the dispatcher from
    // memory, and pushed live) already carries none of the personal data.
    await tx.manager.update(GuestEntity, { id: guest.id }, fields);
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row as now saved.
    const erased: GuestEntity = { ...guest, ...fields };
    const view =
      erased.status === 'left' ? await this.guests.viewIn(tx, erased) : await this.guests.leaveIn(tx, erased, undefined);
    await this.events.eraseGuest(tx, guest.id);
    await this.idempotency.forgetGuest(tx, guest.id);
    await this.events.record(tx, 'guest.erased', { guestId: guest.id });
    return view;
  }

  /**
   * Retention: erases up to `limit` guests who left before `cutoff`, in the caller's transaction,
   * each as `erase` does (guest.erased included, so subscribers forget them too); the number erased.
   * Every guest is locked before the first write (src/database/locks.ts).
   */
  async eraseLeftBefore(tx: Tx, cutoff: string, limit: number): Promise<number> {
    const candidates = await tx.manager.find(GuestEntity, {
      select: { id: true },
      where: { status: 'left', erasedAt: IsNull(), leftAt: LessThan(cutoff) },
      order: { leftAt: 'ASC' },
      take: limit,
    });
    const locked: GuestEntity[] = [];
    for (const { id } of candidates) locked.push(await this.guests.lock(tx, id));
    // Read again under the lock: one erased meanwhile (an admin's DELETE) is left as it is.
    const due = locked.filter((guest) => guest.erasedAt === null && guest.status === 'left');
    for (const guest of due) await this.eraseIn(tx, guest);
    return due.length;
  }

  /**
   * SQLite keeps old page images in the write-ahead log until a checkpoint: copy them into the
   * database file and truncate the log, so the erased bytes are in neither file (secure_delete,
   * on during the erasure's statements, zeroes the space they freed in the database file). PostgreSQL keeps
   * dead row versions until VACUUM (autovacuum), which the README documents.
   */
  async flushSqlite(): Promise<void> {
    if (this.config.isPostgres) return;
    const rows = await this.uow.read((manager) =>
      manager.query<{ busy: number; log: number; checkpointed: number }[]>('PRAGMA wal_checkpoint(TRUNCATE)'),
    );
    // A busy checkpoint leaves the log in place; the next one (SQLite's automatic ones included) copies it.
    if ((rows.at(0)?.busy ?? 0) !== 0) this.logger.warn('WAL checkpoint after erasure was busy; the log is truncated later');
  }
}
