import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DIST_DIR } from './support/app';

const run = promisify(execFile);

describe('client API types', () => {
  // A child process: openapi-typescript loads ES modules that Jest's CommonJS runtime cannot.
  it('docs/openapi.json and client/src/lib/api.generated.ts match what the built server generates (npm run openapi)', async () => {
    const result = await run(process.execPath, [join(__dirname, '..', 'scripts', 'openapi.js'), '--check'], {
      env: { ...process.env, MAITRED_DIST: DIST_DIR },
    }).catch((error: unknown) => {
      const failure = error as { code?: number; stderr?: string };
      return { failed: failure.code, stdout: '', stderr: failure.stderr ?? '' };
    });
    expect(result).toEqual(expect.objectContaining({ stderr: '' }));
    expect(result.stdout).toContain('up to date');
  });
});
