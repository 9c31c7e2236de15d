import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface DailyScheduleProps {
  readonly stateMachine: sfn.IStateMachine;
  /** A six-field EventBridge cron body, UTC. @default '30 0 * * ? *' (00:30 UTC daily) */
  readonly cron?: string;
  /** @default true */
  readonly enabled?: boolean;
}

/**
 * Starts the daily run with `{"time": <the event's time>}`: Validate turns it into the previous
 * UTC day, so a delayed or re-driven start still processes the day the schedule meant.
 */
export class DailySchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DailyScheduleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Starts the search-stats pipeline for the previous UTC day',
      schedule: events.Schedule.expression(`cron(${props.cron ?? '30 0 * * ? *'})`),
      enabled: props.enabled ?? true,
      targets: [
        new targets.SfnStateMachine(props.stateMachine, {
          input: events.RuleTargetInput.fromObject({ time: events.EventField.time }),
        }),
      ],
    });
  }
}
