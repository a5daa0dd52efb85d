import { io, Socket } from 'socket.io-client';

/** Connects a real Socket.IO client; resolves once connected, rejects with the connect_error. */
export function connect(baseUrl: string, namespace: string, auth?: Record<string, unknown>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl}${namespace}`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Records every payload of the given events so tests can wait for one that matches. */
export class Recorder {
  private readonly seen = new Map<string, unknown[]>();
  private readonly waiters: { event: string; predicate: (payload: unknown) => boolean; resolve: (p: unknown) => void }[] = [];

  constructor(socket: Socket, events: string[]) {
    for (const event of events) {
      this.seen.set(event, []);
      socket.on(event, (payload: unknown) => {
        this.seen.get(event)!.push(payload);
        for (const waiter of [...this.waiters]) {
          if (waiter.event === event && waiter.predicate(payload)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(payload);
          }
        }
      });
    }
  }

  all<T = unknown>(event: string): T[] {
    return (this.seen.get(event) ?? []) as T[];
  }

  /** The first payload (already seen or still to come) matching the predicate. */
  waitFor<T = Record<string, unknown>>(
    event: string,
    predicate: (payload: T) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<T> {
    const existing = this.all<T>(event).find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for ${event}`));
      }, timeoutMs);
      // Socket.IO hands over untyped JSON: T is the caller's claim about it, as in `all`.
      this.waiters.push({
        event,
        predicate: predicate as (payload: unknown) => boolean,
        resolve: (payload) => {
          clearTimeout(timer);
          resolve(payload as T);
        },
      });
    });
  }
}
