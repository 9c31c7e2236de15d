/**
 * The service error names our retriers match, as AWS documents them. A name Step Functions never
 * raises makes a retrier that can never fire, so each list says where its names are written;
 * test/infra/error-names.test.ts checks every ErrorEquals of the state machines against them.
 */

/**
 * Lambda's own transient errors, reported as `Lambda.<ErrorName>`: the four service exceptions AWS
 * recommends retrying, and `Lambda.TooManyRequestsException` when the account's concurrency is used
 * up (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
 */
export const LAMBDA_SERVICE_ERRORS: readonly string[] = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
];

/**
 * What a retry can fix when a Task starts a child execution: the one error AWS documents for it,
 * `StepFunctions.ExecutionLimitExceeded` (too many running executions; "Use the Retry on
 * StepFunctions.ExecutionLimitExceeded to ensure your execution is started",
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-nested-workflows.html).
 * `StepFunctions.ThrottlingException`, `.SdkClientException` and `.AWSStepFunctionsException` were
 * matched here before; no AWS document names them for this integration, so they were dropped. The
 * child's own failure (`States.TaskFailed`) and the day's timeout (`States.Timeout`) are not retried:
 * the child already retried each of its steps.
 */
export const START_EXECUTION_RETRYABLE_ERRORS: readonly string[] = ['StepFunctions.ExecutionLimitExceeded'];
