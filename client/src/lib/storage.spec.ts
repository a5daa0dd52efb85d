import { loadKey, saveKey, STAFF_KEY } from './storage';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('key storage', () => {
  let local: MemoryStorage;
  let session: MemoryStorage;

  beforeEach(() => {
    local = new MemoryStorage();
    session = new MemoryStorage();
    (globalThis as { window?: unknown }).window = { localStorage: local, sessionStorage: session };
  });

  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('keeps a key only for the tab unless asked to remember it', () => {
    saveKey(STAFF_KEY, 'mtr_tab');
    expect(session.getItem(STAFF_KEY)).toBe('mtr_tab');
    expect(local.getItem(STAFF_KEY)).toBeNull();
    expect(loadKey(STAFF_KEY)).toBe('mtr_tab');
  });

  it('keeps a remembered key in localStorage, and only there', () => {
    saveKey(STAFF_KEY, 'mtr_tab');
    saveKey(STAFF_KEY, 'mtr_device', true);
    expect(local.getItem(STAFF_KEY)).toBe('mtr_device');
    expect(session.getItem(STAFF_KEY)).toBeNull();
    expect(loadKey(STAFF_KEY)).toBe('mtr_device');
    // Signing in again without ticking it moves the key off the device.
    saveKey(STAFF_KEY, 'mtr_tab2');
    expect(local.getItem(STAFF_KEY)).toBeNull();
    expect(loadKey(STAFF_KEY)).toBe('mtr_tab2');
  });

  it('forgets a key everywhere on sign-out', () => {
    saveKey(STAFF_KEY, 'mtr_device', true);
    saveKey(STAFF_KEY, null);
    expect(loadKey(STAFF_KEY)).toBeNull();
    expect(local.getItem(STAFF_KEY)).toBeNull();
  });
});
