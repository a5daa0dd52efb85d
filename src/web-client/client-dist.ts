import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the built web client (client/dist, from `vite build`) is. Next to the running build first
 * (dist/web-client → ../../client/dist), then under the working directory, for builds placed
 * elsewhere (tests load one from MAITRED_DIST). Null when the client has not been built.
 */
export function clientDistCandidates(moduleDir: string, cwd: string): string[] {
  return [...new Set([resolve(moduleDir, '..', '..', 'client', 'dist'), resolve(cwd, 'client', 'dist')])];
}

export function findClientDist(candidates: string[], exists: (path: string) => boolean = existsSync): string | null {
  return candidates.find((dir) => exists(join(dir, 'index.html'))) ?? null;
}

/**
 * Paths the client must never answer: the API (its unknown routes keep the JSON 404), Socket.IO,
 * health, the API docs, and missing build assets (a stale page asking for an old bundle should
 * get a 404, not index.html served as JavaScript).
 */
export const NOT_CLIENT_ROUTES = /^\/(api|socket\.io|health|assets)(\/|$)/;
