import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

export type IdPrefix = 'gst' | 'tbl' | 'evt' | 'ep' | 'dlv' | 'off' | 'pay' | 'key' | 'chg';

/** Opaque, time-sortable identifiers with a type prefix, as the contract requires. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${nextUlid()}`;
}
