import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONTEXT_KEYS } from '../../lib/context-settings';
import { BACKFILL_CONCURRENCY_CONTEXT_KEY } from '../../lib/workflow/backfill-names';
import { synth } from './support/synth';

/** The README's Deploy section, up to the next top-level heading. */
function deploySection(): string {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Deploy\n');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, end);
}

/** An output's id as `cdk deploy --outputs-file` names it, without the hash CDK adds to nested ids. */
const outputName = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

describe("the README's Deploy runbook", () => {
  const section = deploySection();

  test('documents every context key the app reads', () => {
    const missing = [...CONTEXT_KEYS, BACKFILL_CONCURRENCY_CONTEXT_KEY].filter(
      (key) => !section.includes(`\`${key}\``),
    );
    expect(missing).toEqual([]);
  });

  test('documents every stack output, those of an existing warehouse included', () => {
    const outputs = [synth(), synth({ redshiftClusterId: 'analytics' })].flatMap(({ template }) =>
      Object.keys(template.toJSON().Outputs as Record<string, unknown>).map(outputName),
    );
    const missing = [...new Set(outputs)].filter((name) => !section.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });

  test('has the runbook steps: prerequisites, first run, analyst access, re-runs, teardown, the real-account test', () => {
    for (const heading of [
      'Prerequisites',
      'Context keys',
      'Stack outputs',
      'First run after deploying',
      'Analyst access',
      'Re-runs',
      'Teardown and what stays',
      'Opt-in real-account test',
    ]) {
      expect(section).toContain(`\n### ${heading}\n`);
    }
  });
});
