import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface LiveOptions {
  /** Namespace, e.g. `/floor`. */
  namespace: string;
  auth?: Record<string, string>;
  /** Handlers by event name; the latest ones are always used without reconnecting. */
  on: Record<string, (payload: never) => void>;
  enabled?: boolean;
}

/**
 * One Socket.IO connection to a namespace for as long as the component lives. Socket.IO
 * reconnects on its own after a drop; this reports the state so the page can say the view is
 * stale. The server refuses bad credentials in namespace middleware (`unauthorized`), which
 * is final: retrying with the same credentials would only be refused again.
 */
export function useLive({ namespace, auth, on, enabled = true }: LiveOptions): { state: LiveState; socket: Socket | null } {
  const [state, setState] = useState<LiveState>('connecting');
  const [socket, setSocket] = useState<Socket | null>(null);
  const handlers = useRef(on);
  // The latest handlers, set before any effect below runs and before the socket can deliver anything.
  useLayoutEffect(() => {
    handlers.current = on;
  });
  const authKey = JSON.stringify(auth ?? null);

  useEffect(() => {
    if (!enabled) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the new socket this effect opens starts out connecting.
    setState('connecting');
    let closed = false;
    const client = io(namespace, {
      auth: auth ?? {},
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    const names = Object.keys(handlers.current);
    for (const name of names) {
      // Each handler declares its payload's documented type; Socket.IO hands over untyped JSON.
      client.on(name, (payload: unknown) => (handlers.current[name] as ((p: unknown) => void) | undefined)?.(payload));
    }
    client.on('connect', () => setState('live'));
    client.on('disconnect', (reason) => {
      // The server closing us on purpose does not reconnect by itself; anything else does.
      if (reason === 'io server disconnect') window.setTimeout(() => closed || client.connect(), 1000);
      setState('reconnecting');
    });
    client.on('connect_error', (error: Error) => {
      if (error.message === 'unauthorized') {
        setState('unauthorized');
        client.close();
      } else {
        setState('reconnecting');
      }
    });
    setSocket(client);
    return () => {
      closed = true;
      client.removeAllListeners();
      client.close();
      setSocket(null);
    };
    // Reconnect only when the namespace or credentials change; `auth` is compared by value.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `auth` is a new object each render; `authKey` stands for it.
  }, [namespace, authKey, enabled]);

  return { state, socket };
}

/** Re-renders every `ms` so relative times ("4 min ago") stay true. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}
