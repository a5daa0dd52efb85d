import { createConfig, lint } from '@redocly/openapi-core';
import { join } from 'node:path';

/**
 * docs/openapi.json (equal to what the built server serves: test/openapi-types checks that) passes
 * Redocly's recommended rules with no errors. Warnings (none today) are printed, not failed: they are advice.
 */
describe('OpenAPI document', () => {
  it("passes Redocly's recommended rules with no errors", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lint({ ref: join(__dirname, '..', 'docs', 'openapi.json'), config });
    const describe = (problem: (typeof problems)[number]) =>
      `${problem.ruleId}: ${problem.message} (${problem.location[0]?.pointer ?? '?'})`;
    const warnings = problems.filter((problem) => problem.severity === 'warn');
    if (warnings.length > 0) process.stdout.write(`Redocly warnings:\n  ${warnings.map(describe).join('\n  ')}\n`);
    expect(problems.filter((problem) => problem.severity === 'error').map(describe)).toEqual([]);
  });
});
