import * as pipelineErrors from '../../lambdas/shared/errors';
import { definitionOf } from './support/definition';
import { synth } from './support/synth';

/**
 * The error names AWS documents for what our states call, each with where it is written. A retrier
 * or catcher naming anything else (that is not one of our own error classes) can never match.
 */
const DOCUMENTED_ERRORS: Readonly<Record<string, string>> = {
  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
  'States.ALL': 'concepts-error-handling',
  'States.TaskFailed': 'concepts-error-handling',
  'States.Timeout': 'concepts-error-handling',
  'States.Permissions': 'concepts-error-handling',
  // https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
  'Lambda.ClientExecutionTimeoutException': 'bp-lambda-serviceexception',
  'Lambda.ServiceException': 'bp-lambda-serviceexception',
  'Lambda.AWSLambdaException': 'bp-lambda-serviceexception',
  'Lambda.SdkClientException': 'bp-lambda-serviceexception',
  'Lambda.TooManyRequestsException': 'bp-lambda-serviceexception',
  'Lambda.Unknown': 'bp-lambda-serviceexception',
  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-nested-workflows.html
  'StepFunctions.ExecutionLimitExceeded': 'concepts-nested-workflows',
};

/** The `name` of every error class lambdas/shared/errors.ts exports (what our Lambdas report). */
function ownErrorNames(): string[] {
  return Object.values(pipelineErrors as Record<string, unknown>)
    .filter((value): value is new (message: string) => Error => {
      return typeof value === 'function' && value.prototype instanceof Error;
    })
    .map((ErrorClass) => new ErrorClass('probe').name);
}

interface WithErrors {
  readonly Retry?: readonly { ErrorEquals: string[] }[];
  readonly Catch?: readonly { ErrorEquals: string[] }[];
  readonly States?: Record<string, WithErrors>;
  readonly ItemProcessor?: { States: Record<string, WithErrors> };
  readonly Iterator?: { States: Record<string, WithErrors> };
  readonly Branches?: readonly { States: Record<string, WithErrors> }[];
}

/** Every ErrorEquals string of every state, nested Map processors and Parallel branches included. */
function errorNames(states: Record<string, WithErrors>): string[] {
  return Object.values(states).flatMap((state) => [
    ...[...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((rule) => rule.ErrorEquals),
    ...errorNames(state.ItemProcessor?.States ?? {}),
    ...errorNames(state.Iterator?.States ?? {}),
    ...(state.Branches ?? []).flatMap((branch) => errorNames(branch.States)),
  ]);
}

describe('the error names the state machines match', () => {
  // Scale-out on, so its Distributed Map and workers are in the definition too.
  const { template } = synth({ scaleOut: true });
  const own = ownErrorNames();

  test('our own error classes are the ones the Lambdas throw by name', () => {
    expect(own).toEqual(
      expect.arrayContaining([
        'InvalidRequest',
        'InputNotFound',
        'AmbiguousInput',
        'MalformedInput',
        'TooManyRejectedRows',
        'WarehouseStatementFailed',
        'WarehouseUnavailable',
      ]),
    );
  });

  test.each(['Workflow', 'Backfill'])(
    'every ErrorEquals of the %s machine is an AWS-documented error or one of our error classes',
    (prefix) => {
      const names = [
        ...new Set(errorNames(definitionOf(template, prefix).States as Record<string, WithErrors>)),
      ];
      expect(names.length).toBeGreaterThan(0);
      const unknown = names.filter((name) => DOCUMENTED_ERRORS[name] === undefined && !own.includes(name));
      expect(unknown).toEqual([]);
    },
  );
});
