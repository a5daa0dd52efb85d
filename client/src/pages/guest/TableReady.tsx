import { useEffect, useRef, useState } from 'react';
import { Notice } from '../../components/States';
import { api, explain } from '../../lib/api';
import { countdown, isPaged } from '../../lib/paging';
import { useNow } from '../../lib/live';
import type { Availability, Guest } from '../../lib/types';

/** The tab title while a guest is paged, so a backgrounded tab still says it. */
export const READY_TITLE = 'Your table is ready! · Maitred';

/**
 * Browsers play sound only after the user touched the page. The first tap anywhere creates (or
 * resumes) an AudioContext; a page that arrives later can then chime. Without a tap it stays silent.
 */
function useChime(): () => void {
  const context = useRef<AudioContext | null>(null);
  useEffect(() => {
    const unlock = () => {
      const Context = window.AudioContext as typeof AudioContext | undefined;
      if (!Context) return;
      context.current ??= new Context();
      void context.current.resume();
    };
    window.addEventListener('pointerdown', unlock, { once: true });
    return () => window.removeEventListener('pointerdown', unlock);
  }, []);
  return () => {
    const audio = context.current;
    if (audio?.state !== 'running') return;
    // Two short rising tones: a chime, not an alarm.
    [660, 880].forEach((frequency, index) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      const start = audio.currentTime + index * 0.22;
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.21);
    });
  };
}

/** "Your table is ready": the held table, the time left, and the guest's two answers. */
export function TableReady({
  guest,
  token,
  tables,
  onChange,
}: {
  guest: Guest;
  token: string;
  tables: Availability['tables'];
  onChange: (guest: Guest) => void;
}) {
  const now = useNow(1_000);
  const chime = useChime();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const announced = useRef<string | null>(null);

  // Once per page: vibrate where the browser can, chime if a tap has allowed sound.
  useEffect(() => {
    if (!isPaged(guest) || announced.current === guest.notifiedAt) return;
    announced.current = guest.notifiedAt;
    if (typeof navigator.vibrate === 'function') navigator.vibrate([300, 150, 300]);
    chime();
  }, [guest, chime]);

  if (!isPaged(guest)) return null;
  const table = guest.heldTableId ? tables.find((t) => t.id === guest.heldTableId) : undefined;
  const left = countdown(guest.holdUntil, now);

  const answer = async (path: 'confirm' | 'leave') => {
    setBusy(true);
    setError(null);
    try {
      const body = path === 'leave' ? { reason: 'cancelled' } : {};
      onChange(await api<Guest>('POST', `/api/guests/${encodeURIComponent(guest.id)}/${path}`, { guestToken: token, body }));
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card ready-card" role="alert" aria-labelledby="ready-title">
      <h2 id="ready-title">Your table is ready</h2>
      <dl className="facts">
        <div>
          <dt>Your table</dt>
          <dd>{guest.heldTableId ? (table?.label ?? '…') : 'At the host stand'}</dd>
        </div>
        <div>
          <dt>Held for</dt>
          <dd className="countdown" aria-label="Time left">
            {left ?? 'Time is up'}
          </dd>
        </div>
      </dl>
      {guest.confirmedAt ? (
        <p role="status">Thanks, we told the host you are on your way.</p>
      ) : (
        <p className="muted">Please come to the host stand. Tell us you are coming, or give the table to the next guest.</p>
      )}
      <div className="row">
        {!guest.confirmedAt && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || left === null}
            onClick={() => void answer('confirm')}
          >
            On my way
          </button>
        )}
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void answer('leave')}>
          Cancel
        </button>
      </div>
      {error && <Notice tone="bad">{error}</Notice>}
    </section>
  );
}
