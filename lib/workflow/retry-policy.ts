import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NON_RETRYABLE_ERRORS } from '../../lambdas/shared/errors';

export interface RetryPolicyProps {
  /** Error names a retry cannot fix: they fail the step at once. @default NON_RETRYABLE_ERRORS */
  readonly nonRetryableErrors?: readonly string[];
  /** Error names retried; any other error fails the step at once. @default [States.ALL]: every other error */
  readonly retryableErrors?: readonly string[];
  /** Retries of any other error. @default 3 */
  readonly maxAttempts?: number;
  /** Wait before each retry. @default Duration.seconds(300) */
  readonly interval?: Duration;
  /** Multiplier of the wait from one retry to the next. @default 1 (the same wait every time) */
  readonly backoffRate?: number;
}

/**
 * The one retry policy of every Lambda step (contract §6). Step Functions tries retriers in
 * order and matches errors by name, so the non-retryable names come first with `MaxAttempts: 0`
 * (fail at once, straight to the Catch), then a catch-all for everything else, a missing input
 * object included (it may arrive late). A policy may instead retry a named list only (the back-fill's
 * steps retry Lambda's own transient errors, nothing else).
 */
export class RetryPolicy {
  readonly nonRetryableErrors: readonly string[];
  readonly retryableErrors: readonly string[];
  readonly maxAttempts: number;
  readonly interval: Duration;
  readonly backoffRate: number;

  constructor(props: RetryPolicyProps = {}) {
    this.nonRetryableErrors = props.nonRetryableErrors ?? NON_RETRYABLE_ERRORS;
    this.retryableErrors = props.retryableErrors ?? [sfn.Errors.ALL];
    this.maxAttempts = props.maxAttempts ?? 3;
    this.interval = props.interval ?? Duration.seconds(300);
    this.backoffRate = props.backoffRate ?? 1;
  }

  applyTo(task: sfn.TaskStateBase): void {
    if (this.nonRetryableErrors.length > 0) {
      task.addRetry({ errors: [...this.nonRetryableErrors], maxAttempts: 0 });
    }
    task.addRetry({
      errors: [...this.retryableErrors],
      maxAttempts: this.maxAttempts,
      interval: this.interval,
      backoffRate: this.backoffRate,
    });
  }
}
