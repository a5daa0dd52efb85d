import { createConfig, lint } from '@redocly/openapi-core';
import { join } from 'node:path';

/**
 * docs/openapi.json (equal to what the built server serves: test/openapi-types checks that) passes
 * Redocly's recommended rules with no errors. Warnings are printed, not failed: some are advice
 * (e.g. a 4XX on every operation is met, but "unused component" fires for schemas kept for the catalogue).
 */
// Until the webhooks DTOs are documented (issue 19, after the webhooks refactor lands): their errors are reported, not failed.
const PENDING = /^#\/paths\/~1api~1webhooks~1/;

describe('OpenAPI document', () => {
  it("passes Redocly's recommended rules with no errors", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lint({ ref: join(__dirname, '..', 'docs', 'openapi.json'), config });
    const describe = (problem: (typeof problems)[number]) =>
      `${problem.ruleId}: ${problem.message} (${problem.location[0]?.pointer ?? '?'})`;
    const errors = problems.filter((problem) => problem.severity === 'error');
    const pending = errors.filter((problem) => PENDING.test(problem.location[0]?.pointer ?? ''));
    if (pending.length > 0) process.stdout.write(`pending (webhooks): ${pending.length} errors\n`);
    expect(errors.filter((problem) => !pending.includes(problem)).map(describe)).toEqual([]);
  });
});
