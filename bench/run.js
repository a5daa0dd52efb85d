#!/usr/bin/env node
'use strict';
/**
 * npm run bench                 the full run: results in bench/results/, table in docs/benchmarks.md
 * npm run bench -- --quick      every scenario, fewer and shorter rounds (under 3 minutes)
 * npm run bench -- --smoke      tiny sizes, proves the code path (the test suite runs this)
 * Options: --only=1,2,4 (scenario numbers), --dist=<built app> (default dist/, or MAITRED_DIST),
 *          --cpu-prof (profile every app instance into bench/results/profiles), --no-docs,
 *          --set=<size>=<json> (override one size of bench/lib/profiles.js, for experiments).
 * Needs `npm run build` first. Starts everything it measures on 127.0.0.1 and stops it again.
 */
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { runBench } = require('./lib/bench');
const { markdown, spliceInto } = require('./lib/report');

function parseArgs(argv) {
  const args = { mode: 'full', docs: true };
  for (const arg of argv) {
    if (arg === '--quick') args.mode = 'quick';
    else if (arg === '--smoke') args.mode = 'smoke';
    else if (arg === '--full') args.mode = 'full';
    else if (arg === '--cpu-prof') args.cpuProf = true;
    else if (arg === '--no-docs') args.docs = false;
    else if (arg.startsWith('--only=')) args.only = arg.slice('--only='.length).split(',').filter(Boolean);
    else if (arg.startsWith('--dist=')) args.dist = arg.slice('--dist='.length);
    else if (arg.startsWith('--set=')) {
      // Experiments: --set=liveFloorClients=0 overrides one size of the chosen mode (see bench/lib/profiles.js).
      const [key, value] = arg.slice('--set='.length).split('=');
      args.overrides = { ...args.overrides, [key]: JSON.parse(value) };
    } else throw new Error(`unknown option ${arg} (see the header of bench/run.js)`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const dist = args.dist ?? process.env.MAITRED_DIST ?? join(__dirname, '..', 'dist');
  if (!existsSync(join(dist, 'main.js'))) throw new Error(`no built app in ${dist}: run \`npm run build\` first`);
  const cpuProfDir = args.cpuProf ? join(resultsDir, 'profiles') : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });

  const report = await runBench({ mode: args.mode, dist, only: args.only, cpuProfDir, overrides: args.overrides });
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report.results, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'latest-run.json'), `${JSON.stringify(report, null, 2)}\n`);
  const md = markdown(report);
  writeFileSync(join(resultsDir, 'latest.md'), `${md}\n`);
  // Only a complete full run replaces the published table.
  if (args.mode === 'full' && !args.only && !args.overrides && args.docs) {
    const docPath = join(__dirname, '..', 'docs', 'benchmarks.md');
    const existing = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
    writeFileSync(docPath, spliceInto(existing, md));
  }
  process.stdout.write(`\n${md}\n\nresults: bench/results/latest.json\n`);
  const missed = report.results.filter((r) => r.met === false).length;
  if (report.checks.length > 0) process.exitCode = 1;
  process.stderr.write(
    `${report.results.filter((r) => r.met === true).length} target(s) met, ${missed} missed, ${report.checks.length} failed check(s)\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
