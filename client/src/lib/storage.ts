/**
 * What the browser remembers: the checked-in guest's id and token (so the guest page works after a
 * reload), and the keys staff and integrators signed in with (so they are asked only once).
 */
const GUEST = 'maitred.guest';
export const STAFF_KEY = 'maitred.staffKey';
export const DEVELOPER_KEY = 'maitred.developerKey';

export interface StoredGuest {
  id: string;
  token: string;
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    // Storage can be disabled (private mode); the page still works for this visit.
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
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
  return read(name);
}

export function saveKey(name: string, key: string | null): void {
  write(name, key);
}
