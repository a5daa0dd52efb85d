/**
 * What the browser remembers: the checked-in guest's id and token (so the guest page works after a
 * reload), and the keys staff and integrators signed in with. A key lives in sessionStorage (gone
 * with the tab) unless its user asked to be remembered on this device (then localStorage).
 */
const GUEST = 'maitred.guest';
export const STAFF_KEY = 'maitred.staffKey';
export const DEVELOPER_KEY = 'maitred.developerKey';

export interface StoredGuest {
  id: string;
  token: string;
}

type Area = 'localStorage' | 'sessionStorage';

function read(key: string, area: Area = 'localStorage'): string | null {
  try {
    return window[area].getItem(key);
  } catch {
    // Storage can be disabled (private mode); the page still works for this visit.
    return null;
  }
}

function write(key: string, value: string | null, area: Area = 'localStorage'): void {
  try {
    if (value === null) window[area].removeItem(key);
    else window[area].setItem(key, value);
  } catch {
    // See read(): nothing to persist into.
  }
}

export function loadGuest(): StoredGuest | null {
  const raw = read(GUEST);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredGuest>;
    return typeof value.id === 'string' && typeof value.token === 'string' ? { id: value.id, token: value.token } : null;
  } catch {
    return null;
  }
}

export function saveGuest(guest: StoredGuest): void {
  write(GUEST, JSON.stringify({ id: guest.id, token: guest.token }));
}

export function forgetGuest(): void {
  write(GUEST, null);
}

export function loadKey(name: string): string | null {
  return read(name, 'sessionStorage') ?? read(name, 'localStorage');
}

/** Stores a key for this tab, or on this device when `remember`; null forgets it everywhere. */
export function saveKey(name: string, key: string | null, remember = false): void {
  write(name, key, remember ? 'localStorage' : 'sessionStorage');
  write(name, null, remember ? 'sessionStorage' : 'localStorage');
}
