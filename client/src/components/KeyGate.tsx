import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { ApiError, explain } from '../lib/api';
import { loadKey, saveKey } from '../lib/storage';
import { Field } from './Field';
import { Loading } from './States';

export interface KeySession {
  key: string;
  /** Forget the key; `reason` is shown on the sign-in form (e.g. the key was revoked). */
  signOut: (reason?: string) => void;
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
    check(stored).then(
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
    ).finally(() => current && setChecking(false));
    return () => {
      current = false;
    };
    // Checked once per page load, not again whenever the parent re-renders with a new `check`.
  }, [storageKey]);

  const submit = async (event: FormEvent) => {
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

  const signOut = (reason?: string) => {
    saveKey(storageKey, null);
    setKey(null);
    setError(reason);
  };

  if (checking) return <Loading>Checking your key…</Loading>;
  if (key !== null) return <>{children({ key, signOut })}</>;
  return (
    <section className="card signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{title}</h1>
      <p className="muted">{intro}</p>
      <form onSubmit={submit} noValidate>
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
