import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledge, STATE_MACHINE_DELIVERY_REASON } from '../nag';

export interface LoggedStateMachineProps {
  readonly comment: string;
  /** The first state of the definition. */
  readonly definition: sfn.IChainable;
  /** Retention of the execution log group. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

export interface LoggedStateMachine {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
}

/**
 * A Standard state machine as every machine of this app is: logging ALL with execution data to its
 * own log group (deleted with the stack), X-Ray tracing, and the cdk-nag acknowledgement of the
 * `Resource: *` that log delivery and X-Ray need. A function, not a construct, so the log group and
 * the machine stay direct children of `scope` (`<scope>/Logs`, `<scope>/StateMachine`) and keep
 * their logical ids.
 */
export function createLoggedStateMachine(
  scope: Construct,
  props: LoggedStateMachineProps,
): LoggedStateMachine {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    comment: props.comment,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  acknowledge(stateMachine, 'IAM5[Resource::*]', STATE_MACHINE_DELIVERY_REASON);
  return { stateMachine, logGroup };
}
