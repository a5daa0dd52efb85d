import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError } from '../common/errors';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { advisoryLock } from '../database/locks';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { TableSnapshot } from '../events/event-data';
import { EventsService } from '../events/events.service';
import { FLOOR_CHANGED } from '../events/signals';
import { TableEntity, TableStatus } from './table.entity';
import { isHeldFor, whyNotHold, whyNotSeatAtHeld } from '../guests/hold-rules';
import { explainIllegalTransition, TableTransitionCause } from './table-state-machine';

export function toTableSnapshot(table: TableEntity): TableSnapshot {
  return { id: table.id, label: table.label, capacity: table.capacity, status: table.status, guestId: table.guestId };
}

@Injectable()
export class TablesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: EventsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  list(): Promise<TableEntity[]> {
    return this.uow.read((manager) => manager.find(TableEntity, { order: { capacity: 'ASC', label: 'ASC', id: 'ASC' } }));
  }

  async create(label: string, capacity: number): Promise<TableEntity> {
    return this.uow.run(async (tx) => {
      const now = this.clock.iso();
      const table: TableEntity = {
        id: newId('tbl'),
        label,
        capacity,
        status: 'free',
        guestId: null,
        createdAt: now,
        updatedAt: now,
      };
      await tx.manager.insert(TableEntity, table);
      this.events.signal(tx, FLOOR_CHANGED);
      return table;
    });
  }

  /** Staff marks a table free, reserved or cleaning. */
  async setStatus(id: string, status: TableStatus): Promise<TableEntity> {
    return this.uow.run(async (tx) => {
      const table = await this.lock(tx, id);
      // A free table belongs to nobody: staff freeing a held table ends that hold on it.
      return this.transition(tx, table, status, 'staff', status === 'free' ? null : table.guestId);
    });
  }

  /**
   * Seats a party at a table in the caller's transaction; 409 unless it is free (or held for this
   * guest) and big enough. A table held for another guest refuses.
   */
  async occupy(tx: Tx, tableId: string, guestId: string, partySize: number): Promise<TableEntity> {
    const table = await this.lock(tx, tableId);
    const heldElsewhere = whyNotSeatAtHeld(table, guestId);
    if (heldElsewhere) throw new ConflictError(`Cannot seat at table ${table.label}: ${heldElsewhere}`);
    const cause: TableTransitionCause = isHeldFor(table, guestId) ? 'seat-held' : 'seat';
    const illegal = explainIllegalTransition(table.status, 'occupied', cause);
    if (illegal) throw new ConflictError(`Cannot seat at table ${table.label}: ${illegal}`);
    if (table.capacity < partySize) {
      throw new ConflictError(`Cannot seat a party of ${partySize} at table ${table.label}: it seats ${table.capacity}`);
    }
    return this.transition(tx, table, 'occupied', cause, guestId);
  }

  /** Reserves a free table that fits for a paged guest, in the caller's transaction; 409 otherwise. */
  async hold(tx: Tx, tableId: string, guestId: string, partySize: number): Promise<TableEntity> {
    const table = await this.lock(tx, tableId);
    const reason = whyNotHold(table, partySize);
    if (reason) throw new ConflictError(`Cannot hold table ${table.label}: ${reason}`);
    return this.transition(tx, table, 'reserved', 'hold', guestId);
  }

  /** Frees a table held for this guest; a table staff or another hold has taken since is left alone. */
  async releaseHold(tx: Tx, tableId: string, guestId: string): Promise<TableEntity | null> {
    const table = await this.lock(tx, tableId);
    if (!isHeldFor(table, guestId)) return null;
    return this.transition(tx, table, 'free', 'release', null);
  }

  /** A seated guest left: their table needs cleaning. */
  async vacate(tx: Tx, tableId: string): Promise<TableEntity> {
    const table = await this.lock(tx, tableId);
    return this.transition(tx, table, 'cleaning', 'leave', null);
  }

  private async transition(
    tx: Tx,
    table: TableEntity,
    status: TableStatus,
    cause: TableTransitionCause,
    guestId: string | null,
  ): Promise<TableEntity> {
    const illegal = explainIllegalTransition(table.status, status, cause);
    if (illegal) throw new ConflictError(`Cannot mark table ${table.label} ${status}: ${illegal}`);
    const previousStatus = table.status;
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- entities are plain data without methods; the copy is the row to save.
    const updated: TableEntity = { ...table, status, guestId, updatedAt: this.clock.iso() };
    await tx.manager.update(TableEntity, { id: table.id }, { status, guestId, updatedAt: updated.updatedAt });
    await this.events.record(tx, 'table.status_changed', { table: toTableSnapshot(updated), previousStatus });
    return updated;
  }

  /** Locked until the transaction ends, before its first write (see src/database/locks.ts). */
  private async lock(tx: Tx, id: string): Promise<TableEntity> {
    await advisoryLock(tx, 'table', id);
    const table = await tx.manager.findOne(TableEntity, { where: { id } });
    if (!table) throw new NotFoundError('Table', id);
    return table;
  }
}
