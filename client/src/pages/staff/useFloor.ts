import { useCallback, useEffect, useRef, useState } from 'react';
import type { KeySession } from '../../components/KeyGate';
import { type LiveState, useLive } from '../../lib/live';
import type { Delivery, DomainEvent, Guest, Table } from '../../lib/types';
import type { StreamItem } from './LiveStream';

const STREAM_LENGTH = 60;

export interface Floor {
  waitlist: Guest[] | null;
  tables: Table[] | null;
  seated: Guest[] | null;
  stream: StreamItem[];
  loadError: string | null;
  loadTables: () => void;
  /** Both sockets together: live only when both are. */
  live: LiveState;
  /** The /staff socket alone (the waitlist arrives on it). */
  staffState: LiveState;
}

/**
 * The floor as the host stand sees it, kept current: the waitlist and the event stream come pushed on
 * `/staff`; tables and seated guests are loaded over HTTP and reloaded when a push says they changed.
 */
export function useFloor(session: KeySession): Floor {
  const { call, explainFailure, signOut } = session;
  const [waitlist, setWaitlist] = useState<Guest[] | null>(null);
  const [tables, setTables] = useState<Table[] | null>(null);
  const [seated, setSeated] = useState<Guest[] | null>(null);
  const [stream, setStream] = useState<StreamItem[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);

  const loadTables = useCallback(() => {
    call<Table[]>('GET', '/api/tables').then(
      (list) => {
        setTables(list);
        setLoadError(null);
      },
      (failure: unknown) => setLoadError(explainFailure(failure)),
    );
  }, [call, explainFailure]);

  const loadSeated = useCallback(() => {
    call<Guest[]>('GET', '/api/guests?status=seated&limit=500').then(setSeated, (failure: unknown) =>
      setLoadError(explainFailure(failure)),
    );
  }, [call, explainFailure]);

  // Pushes arrive in bursts (a seating changes two tables and a guest); one reload per burst is plenty.
  const pending = useRef<{ tables: boolean; seated: boolean; frame: number | null }>({
    tables: false,
    seated: false,
    frame: null,
  });
  const refresh = useCallback(
    (what: { tables?: boolean; seated?: boolean }) => {
      const state = pending.current;
      state.tables ||= Boolean(what.tables);
      state.seated ||= Boolean(what.seated);
      if (state.frame !== null) return;
      state.frame = window.setTimeout(() => {
        state.frame = null;
        if (state.tables) loadTables();
        if (state.seated) loadSeated();
        state.tables = false;
        state.seated = false;
      }, 50);
    },
    [loadTables, loadSeated],
  );

  useEffect(() => {
    loadTables();
    loadSeated();
  }, [loadTables, loadSeated]);

  const staff = useLive({
    namespace: '/staff',
    auth: session.socketAuth,
    on: {
      waitlist: (list: Guest[]) => setWaitlist(list),
      event: (event: DomainEvent) => {
        setStream((items) =>
          [{ kind: 'event' as const, key: event.id, at: event.timestamp, event }, ...items].slice(0, STREAM_LENGTH),
        );
        if (event.type.startsWith('guest.') || event.type === 'payment.received') refresh({ seated: true });
      },
      delivery: (delivery: Delivery) => {
        setStream((items) =>
          [
            { kind: 'delivery' as const, key: `${delivery.id}:${delivery.attemptCount}`, at: new Date().toISOString(), delivery },
            ...items,
          ].slice(0, STREAM_LENGTH),
        );
      },
    },
  });
  const floor = useLive({ namespace: '/floor', on: { availability: () => refresh({ tables: true }) } });

  useEffect(() => {
    if (staff.state === 'unauthorized') signOut('Your key is no longer accepted for live updates. Sign in again.');
  }, [staff.state, signOut]);
  // After a reconnect the pushes we missed are gone; reload what the pushes would have told us.
  useEffect(() => {
    if (floor.state === 'live') refresh({ tables: true, seated: true });
  }, [floor.state, refresh]);

  const live: LiveState =
    staff.state === 'live' && floor.state === 'live' ? 'live' : staff.state === 'live' ? floor.state : staff.state;
  return { waitlist, tables, seated, stream, loadError, loadTables, live, staffState: staff.state };
}
