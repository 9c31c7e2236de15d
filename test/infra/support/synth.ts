import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SearchStatsStack, type SearchStatsStackProps } from '../../../lib/search-stats-stack';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');
const ENTRY = path.join(FIXTURES, 'handler.ts');
export const FIXTURE_ENTRIES = { validate: ENTRY, clean: ENTRY, load: ENTRY, migrate: ENTRY, trigger: ENTRY };
export const FIXTURE_SQL = path.join(FIXTURES, 'sql');

/** The context `cdk synth` would see: cdk.json's defaults (feature flags included). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: SearchStatsStack;
  readonly template: Template;
}

/** The stack as `cdk synth -c ...` builds it, with fixture entries and bundling skipped. */
export function synth(
  context: Record<string, unknown> = {},
  props: SearchStatsStackProps = {},
  stackName = 'SearchStats',
): Synthesized {
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stack = new SearchStatsStack(app, stackName, {
    entries: FIXTURE_ENTRIES,
    sqlDirectory: FIXTURE_SQL,
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
}
