import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface DailyScheduleProps {
  /** The Trigger function (lib/trigger.ts), the one door for automatic starts. */
  readonly trigger: lambda.IFunction;
  /** How the rule delivers to it (retries, dead letters). @default CDK's (185 retries, 24 h, none) */
  readonly targetOptions?: targets.LambdaFunctionProps;
  /** A six-field EventBridge cron body, UTC. @default '30 0 * * ? *' (00:30 UTC daily) */
  readonly cron?: string;
  /** @default true */
  readonly enabled?: boolean;
}

/**
 * Sends the Trigger the schedule's whole "Scheduled Event": it starts the run of the UTC day before
 * the event's `time` (so a delayed or re-driven start still processes the day the schedule meant),
 * under the same name the day file's arrival would use, so the two never both load it.
 */
export class DailySchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DailyScheduleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Starts the search-stats pipeline for the previous UTC day (through the Trigger)',
      schedule: events.Schedule.expression(`cron(${props.cron ?? '30 0 * * ? *'})`),
      enabled: props.enabled ?? true,
      targets: [new targets.LambdaFunction(props.trigger, props.targetOptions)],
    });
  }
}
