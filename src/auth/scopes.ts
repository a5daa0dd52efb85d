export const SCOPES = ['admin', 'staff', 'endpoints', 'offers'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who may call a route: a key scope, or the guest whose `:id` is in the path. */
export type Audience = Scope | 'guest' | 'public';

export type Principal = { kind: 'key'; keyId: string; name: string; scopes: Scope[] } | { kind: 'guest'; guestId: string };

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Admin satisfies every scope. */
export function hasScope(principal: Principal | undefined, scope: Scope): boolean {
  return principal?.kind === 'key' && (principal.scopes.includes('admin') || principal.scopes.includes(scope));
}

/** A stable identity for per-caller state such as idempotency records. */
export function callerIdentity(principal: Principal | undefined, clientIp: string | undefined): string {
  if (principal?.kind === 'key') return `key:${principal.keyId}`;
  if (principal?.kind === 'guest') return `guest:${principal.guestId}`;
  return `ip:${clientIp ?? 'unknown'}`;
}
