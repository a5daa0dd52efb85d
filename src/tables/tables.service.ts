import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '../common/errors';
import { newId } from '../common/ids';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { TableSnapshot } from '../events/event-data';
import { EventsService } from '../events/events.service';
import { FLOOR_CHANGED } from '../events/signals';
import { TableEntity, TableStatus } from './table.entity';
import { explainIllegalTransition, TableTransitionCause } from './table-state-machine';

export function toTableSnapshot(table: TableEntity): TableSnapshot {
  return { id: table.id, label: table.label, capacity: table.capacity, status: table.status, guestId: table.guestId };
}

@Injectable()
export class TablesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: EventsService,
  ) {}

  list(): Promise<TableEntity[]> {
    return this.uow.read((manager) => manager.find(TableEntity, { order: { capacity: 'ASC', label: 'ASC', id: 'ASC' } }));
  }

  /** All tables, read inside a caller's transaction. */
  listIn(tx: Tx): Promise<TableEntity[]> {
    return tx.manager.find(TableEntity, { order: { capacity: 'ASC', label: 'ASC', id: 'ASC' } });
  }

  async create(label: string, capacity: number): Promise<TableEntity> {
    return this.uow.run(async (tx) => {
      const now = new Date().toISOString();
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
      await this.events.signal(tx, FLOOR_CHANGED);
      return table;
    });
  }

  /** Staff marks a table free, reserved or cleaning. */
  async setStatus(id: string, status: TableStatus): Promise<TableEntity> {
    return this.uow.run(async (tx) => {
      const table = await this.lock(tx, id);
      return this.transition(tx, table, status, 'staff', table.guestId);
    });
  }

  /** Seats a party at a table in the caller's transaction; 409 unless it is free and big enough. */
  async occupy(tx: Tx, tableId: string, guestId: string, partySize: number): Promise<TableEntity> {
    const table = await this.lock(tx, tableId);
    const illegal = explainIllegalTransition(table.status, 'occupied', 'seat');
    if (illegal) throw new ConflictError(`Cannot seat at table ${table.label}: ${illegal}`);
    if (table.capacity < partySize) {
      throw new ConflictError(`Cannot seat a party of ${partySize} at table ${table.label}: it seats ${table.capacity}`);
    }
    return this.transition(tx, table, 'occupied', 'seat', guestId);
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
    const updated: TableEntity = { ...table, status, guestId, updatedAt: new Date().toISOString() };
    await tx.manager.update(TableEntity, { id: table.id }, { status, guestId, updatedAt: updated.updatedAt });
    await this.events.record(tx, 'table.status_changed', { table: toTableSnapshot(updated), previousStatus });
    return updated;
  }

  private async lock(tx: Tx, id: string): Promise<TableEntity> {
    await this.events.enterCommitOrder(tx);
    const table = await tx.manager.findOne(TableEntity, {
      where: { id },
      ...(tx.manager.connection.driver.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!table) throw new NotFoundError('Table', id);
    return table;
  }
}
