#!/usr/bin/env node
/**
 * The client's API types come from the server's own OpenAPI document, so the two cannot drift:
 *   node scripts/openapi.js          (npm run openapi) rewrites docs/openapi.json and client/src/lib/api.generated.ts
 *   node scripts/openapi.js --check  exits 1 when either checked-in file differs from what the built server generates
 * It builds the document from the BUILT app (dist/, so run `npm run build` or `npx nest build` first) on a
 * throwaway SQLite database: the document does not depend on the data, only on the controllers and DTOs.
 */
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const JSON_PATH = join(ROOT, 'docs', 'openapi.json');
const TYPES_PATH = join(ROOT, 'client', 'src', 'lib', 'api.generated.ts');
const HEADER =
  '/**\n' +
  " * Generated from the server's OpenAPI document by scripts/openapi.js (npm run openapi). Do not edit:\n" +
  ' * test/openapi-types.e2e-spec.ts fails when this file differs from what the server generates.\n' +
  ' */\n\n';

/** The server's OpenAPI document, as GET /api/docs-json serves it. */
async function buildDocument(distDir = process.env.MAITRED_DIST ?? join(ROOT, 'dist')) {
  const { createApp } = require(join(distDir, 'app.factory'));
  const dir = mkdtempSync(join(tmpdir(), 'maitred-openapi-'));
  const { app } = await createApp({
    DATABASE_URL: `sqlite:${join(dir, 'openapi.sqlite')}`,
    ADMIN_API_KEY: 'openapi-generator-key-0123456789',
    LOG_LEVEL: 'silent',
    PORT: '0',
  });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address();
    const response = await fetch(`http://127.0.0.1:${port}/api/docs-json`);
    if (!response.ok) throw new Error(`GET /api/docs-json answered ${response.status}`);
    return await response.json();
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both generated files' contents: { json, types }. */
async function generate(distDir) {
  const document = await buildDocument(distDir);
  const { default: openapiTS, astToString } = require('openapi-typescript');
  const ast = await openapiTS(document, { alphabetize: true });
  return { json: `${JSON.stringify(document, null, 2)}\n`, types: HEADER + astToString(ast) };
}

/** The checked-in files that differ from what the server generates now (empty: in sync). */
async function drift(distDir) {
  const fresh = await generate(distDir);
  const stale = [];
  for (const [path, content] of [
    [JSON_PATH, fresh.json],
    [TYPES_PATH, fresh.types],
  ]) {
    let current = null;
    try {
      current = readFileSync(path, 'utf8');
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    if (current !== content) stale.push(path);
  }
  return stale;
}

async function main() {
  if (process.argv.includes('--check')) {
    const stale = await drift();
    if (stale.length > 0) {
      process.stderr.write(`Out of date with the server's OpenAPI document (run npm run openapi):\n  ${stale.join('\n  ')}\n`);
      process.exit(1);
    }
    process.stdout.write('OpenAPI document and client types are up to date\n');
    return;
  }
  const fresh = await generate();
  writeFileSync(JSON_PATH, fresh.json);
  writeFileSync(TYPES_PATH, fresh.types);
  process.stdout.write(`wrote ${JSON_PATH}\nwrote ${TYPES_PATH}\n`);
}

if (require.main === module) {
  main().then(
    // The app's pools and timers may keep the loop alive after close; the work is done.
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

module.exports = { generate, drift, JSON_PATH, TYPES_PATH };
