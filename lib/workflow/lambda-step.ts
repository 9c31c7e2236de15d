import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CAUGHT_ERROR_PATH, type FailureNotification } from './failure-notification';
import type { RetryPolicy } from './retry-policy';

export interface LambdaStepProps {
  /** The state name (the local runner maps `Validate`, `Clean`, `Load` to handlers by it). */
  readonly stateName: string;
  readonly handler: lambda.IFunction;
  /** The part of the state the function receives. @default the whole state (`$`) */
  readonly inputPath?: string;
  /** What the function receives, built from the state. @default the state at `inputPath` */
  readonly payload?: sfn.TaskInput;
  /** Where the function's result goes in the state. @default '$' (the result replaces the state) */
  readonly resultPath?: string;
  readonly retry: RetryPolicy;
  /**
   * Where an error the retries did not fix goes: the failure notification, with this step's name.
   * @default no Catch: the error fails the execution, or the caller adds its own Catch to `task`
   */
  readonly failure?: FailureNotification;
  /** Where the day is in the state when this step runs. @default unknown yet (the raw input is reported) */
  readonly datePath?: string;
  readonly comment?: string;
}

/**
 * One pipeline step: a Lambda invoked with its payload as the whole input and its response as the
 * whole result (`payloadResponseOnly`), a retry policy, and (given a failure notification) a Catch
 * that sends the run to it with this step's name. The daily and the back-fill machines build every
 * Lambda step with it.
 */
export class LambdaStep extends Construct {
  readonly task: tasks.LambdaInvoke;

  constructor(scope: Construct, id: string, props: LambdaStepProps) {
    super(scope, id);
    this.task = new tasks.LambdaInvoke(this, 'Invoke', {
      stateName: props.stateName,
      comment: props.comment,
      lambdaFunction: props.handler,
      payloadResponseOnly: true,
      // The retry policy covers Lambda service errors too: one ordered list, non-retryable first.
      retryOnServiceExceptions: false,
      inputPath: props.inputPath,
      payload: props.payload,
      resultPath: props.resultPath,
    });
    props.retry.applyTo(this.task);
    if (props.failure !== undefined) {
      this.task.addCatch(props.failure.messageFor(props.stateName, props.datePath), {
        errors: [sfn.Errors.ALL],
        resultPath: CAUGHT_ERROR_PATH,
      });
    }
  }
}
