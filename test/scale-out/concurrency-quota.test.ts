import { definitionOf } from '../infra/support/definition';
import { synth } from '../infra/support/synth';
import { SCALE_OUT_STATE_NAMES } from '../../lib/workflow/scale-out-names';

/**
 * A new AWS account may start with 10 concurrent Lambda executions, not the documented 1,000
 * ("New AWS accounts have reduced concurrency and memory quotas",
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html; 10 seen in
 * https://github.com/awslabs/fhir-works-on-aws-deployment/issues/691).
 */
const NEW_ACCOUNT_LAMBDA_CONCURRENCY = 10;

const mapOf = (context: Record<string, unknown>) =>
  definitionOf(synth({ scaleOut: true, ...context }).template).States[SCALE_OUT_STATE_NAMES.map];

describe("the Distributed Map's workers and the account's Lambda concurrency", () => {
  test("by default run fewer at once than a new account's whole Lambda concurrency", () => {
    const maxConcurrency = mapOf({})?.MaxConcurrency as number;
    expect(maxConcurrency).toBeGreaterThan(0);
    // Leaves room for the other steps and back-fill days running at the same time.
    expect(maxConcurrency).toBeLessThan(NEW_ACCOUNT_LAMBDA_CONCURRENCY);
  });

  test('run as many at once as the context says once the quota is raised', () => {
    expect(mapOf({ scaleOutMaxConcurrency: '200' })?.MaxConcurrency).toBe(200);
  });
});
