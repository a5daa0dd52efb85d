import { type SubmitEvent, type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api, explain } from '../lib/api';
import { loadKey, saveKey } from '../lib/storage';
import { Field } from './Field';
import { Loading } from './States';

/** An API call with the session's key: `call<T>(method, path, body?)`. */
export type ApiCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const NO_LONGER_ACCEPTED = 'Your key is no longer accepted. Sign in again.';

export interface KeySession {
  key: string;
  /** Forget the key; `reason` is shown on the sign-in form (e.g. the key was revoked). */
  signOut: (reason?: string) => void;
  /** `api()` with this key; a 401 (the key was revoked meanwhile) signs out, and the error is rethrown. */
  call: ApiCall;
  /** The text to show for a failed call; a 401 signs out first. */
  explainFailure: (failure: unknown) => string;
  /** Socket.IO `auth` for this key (one object per key, so sockets do not reconnect on every render). */
  socketAuth: { token: string };
}

/** The page header's sign-out button. */
export function SignOutButton({ session }: { session: KeySession }) {
  return (
    <button type="button" className="btn btn-small btn-ghost" onClick={() => session.signOut()}>
      Sign out
    </button>
  );
}

/**
 * Asks once for an API key (input `API key`, button `Sign in`), checks it against the API, and
 * keeps it for this tab, or in this browser when `Remember me` is ticked. A kept key is checked again on load, so a revoked key
 * leads back here with a reason instead of to a page full of errors.
 */
export function KeyGate({
  storageKey,
  title,
  intro,
  check,
  forbidden,
  children,
}: {
  storageKey: string;
  title: string;
  intro: ReactNode;
  /** Resolves when the key may use the page; rejects with the API's error otherwise. */
  check: (key: string) => Promise<unknown>;
  /** What to say when the key is valid but lacks the scope (403). */
  forbidden: string;
  children: (session: KeySession) => ReactNode;
}) {
  const [key, setKey] = useState<string | null>(null);
  const [checking, setChecking] = useState(() => loadKey(storageKey) !== null);
  const [draft, setDraft] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [submitting, setSubmitting] = useState(false);

  const reasonFor = (failure: unknown): string => {
    if (failure instanceof ApiError && failure.status === 401) return 'That key was not accepted. Check it and try again.';
    if (failure instanceof ApiError && failure.status === 403) return forbidden;
    return explain(failure);
  };

  useEffect(() => {
    const stored = loadKey(storageKey);
    if (stored === null) return;
    let current = true;
    check(stored)
      .then(
        () => current && setKey(stored),
        (failure: unknown) => {
          if (!current) return;
          if (failure instanceof ApiError && (failure.status === 401 || failure.status === 403)) {
            saveKey(storageKey, null);
            setError(reasonFor(failure));
          } else {
            // The server is unreachable, not the key wrong: let the page show its own offline state.
            setKey(stored);
          }
        },
      )
      .finally(() => current && setChecking(false));
    return () => {
      current = false;
    };
    // Checked once per page load, not again whenever the parent re-renders with a new `check`.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `check` and `reasonFor` are new each render; see above.
  }, [storageKey]);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const candidate = draft.trim();
    if (candidate.length === 0) {
      setError('Enter the API key you were given.');
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      await check(candidate);
      saveKey(storageKey, candidate, remember);
      setDraft('');
      setKey(candidate);
    } catch (failure) {
      setError(reasonFor(failure));
    } finally {
      setSubmitting(false);
    }
  };

  const signOut = useCallback(
    (reason?: string) => {
      saveKey(storageKey, null);
      setKey(null);
      setError(reason);
    },
    [storageKey],
  );

  const session = useSession(key, signOut);
  if (checking) return <Loading>Checking your key…</Loading>;
  if (session !== null) return <>{children(session)}</>;
  return (
    <section className="card signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{title}</h1>
      <p className="muted">{intro}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="API key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          error={error}
          autoFocus
        />
        <label className="check">
          <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
          <span>Remember me</span>
        </label>
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}

/** What a signed-in page gets: its key and the calls that sign out when the key stops working. */
function useSession(key: string | null, signOut: (reason?: string) => void): KeySession | null {
  const call = useCallback<ApiCall>(
    async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
      try {
        return await api<T>(method, path, { apiKey: key, body });
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) signOut(NO_LONGER_ACCEPTED);
        throw failure;
      }
    },
    [key, signOut],
  );
  const explainFailure = useCallback(
    (failure: unknown) => {
      if (failure instanceof ApiError && failure.status === 401) signOut(NO_LONGER_ACCEPTED);
      return explain(failure);
    },
    [signOut],
  );
  return useMemo(
    () => (key === null ? null : { key, signOut, call, explainFailure, socketAuth: { token: key } }),
    [key, signOut, call, explainFailure],
  );
}
