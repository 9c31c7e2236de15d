import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackName } from './context-settings';
import { SearchStatsStack, type SearchStatsStackProps } from './search-stats-stack';

/**
 * What `bin/app.ts` builds, also used by the opt-in real-account test: the stack named by the
 * context key `stackName`, in the account and region the CDK CLI resolved from the credentials
 * (environment-agnostic when there are none, e.g. `cdk synth` without credentials), with cdk-nag's
 * AwsSolutions checks: any unacknowledged finding fails the synth.
 */
export function buildSearchStatsApp(app: App, props: SearchStatsStackProps = {}): SearchStatsStack {
  const stack = new SearchStatsStack(app, readStackName(app.node), {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    ...props,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
