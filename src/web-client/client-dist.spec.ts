import { join, resolve } from 'node:path';
import { clientDistCandidates, findClientDist, NOT_CLIENT_ROUTES } from './client-dist';

describe('finding the built web client', () => {
  it('looks next to the running build first, then under the working directory', () => {
    expect(clientDistCandidates('/srv/app/dist/web-client', '/srv/app')).toEqual([resolve('/srv/app/client/dist')]);
    expect(clientDistCandidates('/tmp/build/web-client', '/srv/app')).toEqual([
      resolve('/tmp/client/dist'),
      resolve('/srv/app/client/dist'),
    ]);
  });

  it('picks the first candidate that has an index.html, or none', () => {
    const present = new Set([join('/b', 'index.html'), join('/c', 'index.html')]);
    expect(findClientDist(['/a', '/b', '/c'], (p) => present.has(p))).toBe('/b');
    expect(findClientDist(['/a'], (p) => present.has(p))).toBeNull();
  });

  it('never answers the API, Socket.IO, health or missing assets with the client', () => {
    for (const path of ['/api', '/api/unknown', '/api/guests/x', '/socket.io/', '/health', '/assets/old.js']) {
      expect(NOT_CLIENT_ROUTES.test(path)).toBe(true);
    }
    for (const path of ['/', '/staff', '/guest/gst_1', '/board', '/developers', '/apiary', '/healthy']) {
      expect(NOT_CLIENT_ROUTES.test(path)).toBe(false);
    }
  });
});
