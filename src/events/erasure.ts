/**
 * Erasure of one guest's personal data from stored event data (pure: JSON in, JSON out).
 * A guest appears in event data as a guest snapshot (`{ id, name, email, phone, notes, … }`,
 * under `guest` and wherever else a snapshot is nested) and, for `guest.updated`, in `changes`.
 * Everything else (times, party size, ids, statuses) is kept so history still counts the visit.
 */

/** The guest fields that are personal data; the name becomes this placeholder (the field stays a string). */
export const ERASED_NAME = '';
const NULLED_FIELDS = ['email', 'phone', 'notes'] as const;
/** `changes` entries that carry personal data: both sides become null. */
const PERSONAL_CHANGE_FIELDS = ['name', 'email', 'phone', 'notes'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A guest snapshot of this guest: an object with its id and a name field. */
function isSnapshotOf(value: Record<string, Json>, guestId: string): boolean {
  return value.id === guestId && 'name' in value;
}

function scrub(value: Json, guestId: string): Json {
  if (Array.isArray(value)) return value.map((item) => scrub(item, guestId));
  if (!isObject(value)) return value;
  const result: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) result[key] = scrub(child, guestId);
  if (isSnapshotOf(value, guestId)) {
    result.name = ERASED_NAME;
    for (const field of NULLED_FIELDS) if (field in result) result[field] = null;
  }
  return result;
}

/**
 * The event's data with the guest's personal data removed, as stored JSON; null when the event
 * holds none of it (so the caller writes nothing).
 */
export function eraseGuestFromEventData(type: string, data: string, guestId: string): string | null {
  const parsed = JSON.parse(data) as Json;
  let erased = scrub(parsed, guestId);
  if (
    type === 'guest.updated' &&
    isObject(erased) &&
    isObject(erased.guest) &&
    erased.guest.id === guestId &&
    isObject(erased.changes)
  ) {
    const changes = { ...erased.changes };
    for (const field of PERSONAL_CHANGE_FIELDS) if (field in changes) changes[field] = { from: null, to: null };
    erased = { ...erased, changes };
  }
  const text = JSON.stringify(erased);
  return text === JSON.stringify(parsed) ? null : text;
}
