/**
 * npm run simulate                       20 evenings from seed 1, every estimator, a table on stdout
 * npm run simulate -- --seed=7 --evenings=5 --json
 * npm run simulate -- --write-docs       also puts the table into docs/quotes.md (between its markers)
 * Deterministic: the same options print the same table on any machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WAIT_ESTIMATOR_NAMES, type WaitEstimatorName } from '../src/guests/wait-estimator';
import { formatTable, simulate } from './simulator/run';

const BEGIN = '<!-- simulate:begin -->';
const END = '<!-- simulate:end -->';

function parseArgs(argv: string[]) {
  const args = {
    seed: 1,
    evenings: 20,
    json: false,
    writeDocs: false,
    estimators: [...WAIT_ESTIMATOR_NAMES] as WaitEstimatorName[],
  };
  for (const arg of argv) {
    // No `=` leaves the value undefined, though split's type promises a string per entry.
    const [name, value] = arg.split('=', 2) as [string, string | undefined];
    if (name === '--seed' && /^\d+$/.test(value ?? '')) args.seed = Number(value);
    else if (name === '--evenings' && /^[1-9]\d*$/.test(value ?? '')) args.evenings = Number(value);
    else if (name === '--json') args.json = true;
    else if (name === '--write-docs') args.writeDocs = true;
    else if (name === '--estimators' && value) {
      const names = value.split(',');
      const unknown = names.filter((n) => !(WAIT_ESTIMATOR_NAMES as readonly string[]).includes(n));
      if (unknown.length > 0)
        throw new Error(`unknown estimator ${unknown.join(', ')} (known: ${WAIT_ESTIMATOR_NAMES.join(', ')})`);
      args.estimators = names as WaitEstimatorName[];
    } else throw new Error(`bad option ${arg} (see the header of tools/simulate.ts)`);
  }
  return args;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const result = simulate({ seed: args.seed, evenings: args.evenings, estimators: args.estimators });
  const table = formatTable(result);
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${table}\n`);
  if (args.writeDocs) {
    const path = join(__dirname, '..', '..', 'docs', 'quotes.md');
    const doc = readFileSync(path, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    if (start < 0 || end < start) throw new Error(`docs/quotes.md has no ${BEGIN} … ${END} markers`);
    writeFileSync(path, `${doc.slice(0, start + BEGIN.length)}\n${table}\n${doc.slice(end)}`);
    process.stderr.write('docs/quotes.md updated\n');
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
