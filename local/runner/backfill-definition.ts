/**
 * The back-fill state machine the local runner executes is the synthesized one: found in the same
 * template as the daily machine by its state names, resolved to plain ASL, and checked to start
 * executions of the daily machine (the one the local runner runs per day).
 */
import { BACKFILL_STATE_NAMES } from '../../lib/workflow/backfill-names';
import type { SynthesizedPipeline } from './definition';
import {
  resolveStateMachines,
  resolveString,
  TemplateResolutionError,
  type AslDefinition,
  type AslState,
} from './resolve-template';
import { STEP_NAMES } from './steps';

export interface BackfillMachine {
  readonly definition: AslDefinition;
  /** The daily machine's (local) ARN, as the RunDay task names it. */
  readonly dailyStateMachineArn: string;
}

const TOP_LEVEL = [BACKFILL_STATE_NAMES.plan, BACKFILL_STATE_NAMES.runDays, BACKFILL_STATE_NAMES.summarize];

/** The states of a Map's iterator (ItemProcessor, or Iterator in older definitions). */
export function iteratorStates(state: AslState | undefined): Record<string, AslState> {
  const processor = (state?.ItemProcessor ?? state?.Iterator) as AslDefinition | undefined;
  return processor?.States ?? {};
}

function only<T>(found: T[], what: string): T {
  if (found.length !== 1) throw new TemplateResolutionError(`expected one ${what}, found ${found.length}`);
  return found[0] as T;
}

export function backfillMachine(pipeline: SynthesizedPipeline): BackfillMachine {
  const machines = resolveStateMachines(pipeline.template);
  const has = (names: readonly string[]) => (m: { definition: AslDefinition }) =>
    names.every((name) => name in m.definition.States);
  const { definition } = only(machines.filter(has(TOP_LEVEL)), `state machine with ${TOP_LEVEL.join(', ')}`);
  const daily = only(machines.filter(has(STEP_NAMES)), `state machine with ${STEP_NAMES.join(', ')}`);
  const dailyStateMachineArn = resolveString({ Ref: daily.logicalId }, pipeline.template);
  const runDay = iteratorStates(definition.States[BACKFILL_STATE_NAMES.runDays])[BACKFILL_STATE_NAMES.runDay];
  const target = (runDay?.Parameters as { StateMachineArn?: unknown } | undefined)?.StateMachineArn;
  if (target !== dailyStateMachineArn) {
    throw new TemplateResolutionError(
      `${BACKFILL_STATE_NAMES.runDay} starts ${String(target)}, not the daily machine ${dailyStateMachineArn}`,
    );
  }
  return { definition, dailyStateMachineArn };
}
