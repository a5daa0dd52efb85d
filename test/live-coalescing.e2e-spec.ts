import { checkIn, CheckedIn, createKey, removeDir, startApp, TestApp } from './support/app';
import { io, Socket } from 'socket.io-client';
import { Recorder } from './support/sockets';
import type { Guest } from './support/api-types';

/**
 * Live views are recomputed at most once per LIVE_REFRESH_MS, however many changes arrive in it.
 * The interval is long here (2 s) so that the count of pushes does not depend on how fast this
 * machine runs the check-ins: 50 of them, one after another, take far less than a few intervals.
 */
const INTERVAL_MS = 2_000;
const CHECK_INS = 50;

jest.setTimeout(60_000);

/** Listeners go on before the socket connects: the first payload may come with the connect ack. */
function open(app: TestApp, namespace: string, events: string[], auth?: Record<string, unknown>) {
  return new Promise<{ socket: Socket; recorder: Recorder }>((resolve, reject) => {
    const socket = io(`${app.baseUrl}${namespace}`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    const recorder = new Recorder(socket, events);
    socket.once('connect', () => {
      resolve({ socket, recorder });
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
    socket.connect();
  });
}

interface Availability {
  waiting: number;
  byCapacity: Record<string, { total: number; free: number; estimatedWaitMinutes: number }>;
}

describe('live views: many changes, few recomputes, exact last push', () => {
  let app: TestApp;
  let staffKey: string;

  beforeAll(async () => {
    app = await startApp({ LIVE_REFRESH_MS: String(INTERVAL_MS) });
    staffKey = await createKey(app, ['staff']);
  });

  afterAll(async () => {
    await app.close();
    removeDir(app.dir);
  });

  it(`pushes the waitlist far fewer than ${CHECK_INS} times for ${CHECK_INS} check-ins, the last one exact`, async () => {
    const { socket: staff, recorder: staffRecorder } = await open(app, '/staff', ['waitlist'], { token: staffKey });
    const { socket: floor, recorder: floorRecorder } = await open(app, '/floor', ['availability']);
    try {
      // The first guest keeps a page open: their place and quote must end exact too.
      const first = await checkIn(app, { name: 'Guest 0', partySize: 2 });
      const { socket: page, recorder: pageRecorder } = await open(app, '/guest', ['status'], { guestId: first.id, token: first.token });
      try {
        const started = performance.now();
        const guests: CheckedIn[] = [first];
        for (let i = 1; i < CHECK_INS; i += 1) {
          guests.push(await checkIn(app, { name: `Guest ${i}`, partySize: 1 + (i % 6) }));
        }
        const elapsed = performance.now() - started;

        const last = await staffRecorder.waitFor<Guest[]>('waitlist', (w) => w.length === CHECK_INS, 3 * INTERVAL_MS + 5_000);
        const pushes = staffRecorder.all<Guest[]>('waitlist').length;
        // At most one at once (the leading change), one per interval while changes keep coming, one trailing.
        expect(pushes).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 2);
        expect(pushes).toBeLessThan(CHECK_INS / 5);

        const listed = await app.http.get<Guest[]>('/api/guests?status=waiting', { token: staffKey });
        expect(listed.status).toBe(200);
        expect(last).toEqual(listed.body);
        expect(last.map((g) => [g.id, g.position])).toEqual(guests.map((g, index) => [g.id, index + 1]));
        expect(last.every((g) => typeof g.quotedWaitMinutes === 'number')).toBe(true);

        const board = await floorRecorder.waitFor<Availability>('availability', (a) => a.waiting === CHECK_INS, 3 * INTERVAL_MS + 5_000);
        const fromApi = await app.http.get<Availability>('/api/availability');
        expect(board).toEqual(fromApi.body);
        expect(floorRecorder.all('availability').length).toBeLessThan(CHECK_INS / 5);

        const own = listed.body[0];
        const status = await pageRecorder.waitFor<Guest>(
          'status',
          (g) => g.position === 1 && g.quotedWaitMinutes === own.quotedWaitMinutes,
          3 * INTERVAL_MS + 5_000,
        );
        expect(status).toEqual(own);
      } finally {
        page.close();
      }
    } finally {
      staff.close();
      floor.close();
    }
  });
});
