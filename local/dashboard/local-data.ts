/**
 * What the local run knows that the deployed dashboard graphs: the days' volumes from the local
 * warehouse (sql/dashboard/daily_volumes.sql) and the executions the local runner logged
 * (local/runner/execution-log.ts), with the template's names for the state machines and step
 * functions, so a dashboard metric can be matched to them by its dimensions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { SCALE_OUT_STATE_NAMES } from '../../lib/workflow/scale-out-names';
import { BACKFILL_STATE_NAMES } from '../../lib/workflow/backfill-names';
import type { Query } from '../report/query';
import { RowReader } from '../report/values';
import type { ExecutionRecord } from '../runner/execution-log';
import {
  resolveStateMachines,
  TemplateResolutionError,
  type AslState,
  type CfnTemplate,
} from '../runner/resolve-template';
import { STEP_NAMES } from '../runner/steps';

export interface DayVolumes {
  readonly day: string;
  readonly rowsRead: number;
  readonly rowsKept: number;
  readonly rowsDuplicate: number;
  readonly rowsRejected: number;
  readonly validSearchesLoaded: number;
}

/** The template's resources the dashboard's metrics name, by logical id. */
export interface PipelineResources {
  readonly dailyStateMachine: string;
  readonly backfillStateMachine: string;
  /** Step function logical id -> the state (Validate, Clean, Load, ...) that invokes it. */
  readonly stepOfFunction: Readonly<Record<string, string>>;
}

export interface LocalDashboardData {
  readonly volumes: readonly DayVolumes[];
  readonly executions: readonly ExecutionRecord[];
  readonly resources: PipelineResources;
}

const SQL_FILE = path.resolve(__dirname, '..', '..', 'sql', 'dashboard', 'daily_volumes.sql');

/** The days' volumes as the local warehouse holds them. */
export async function readDayVolumes(query: Query): Promise<DayVolumes[]> {
  const rows = await query(readFileSync(SQL_FILE, 'utf8'));
  return rows.map((row) => {
    const r = new RowReader(row, 'sql/dashboard/daily_volumes.sql');
    return {
      day: r.day('day'),
      rowsRead: r.number('rows_read'),
      rowsKept: r.number('rows_kept'),
      rowsDuplicate: r.number('rows_duplicate'),
      rowsRejected: r.number('rows_rejected'),
      validSearchesLoaded: r.number('valid_searches_loaded'),
    };
  });
}

/** The logical id at the end of a resolved Lambda ARN (`...:function:<id>`), if it is one. */
const functionId = (value: unknown): string | undefined =>
  typeof value === 'string' ? (/:function:([^:]+)$/.exec(value)?.[1] ?? (value || undefined)) : undefined;

/** Every Task state (also inside Maps) with the function it invokes, as state name -> logical id. */
function taskFunctions(states: Readonly<Record<string, AslState>>, into: Record<string, string>): void {
  for (const [name, state] of Object.entries(states)) {
    const parameters = state.Parameters as { FunctionName?: unknown } | undefined;
    const id =
      functionId(parameters?.FunctionName) ??
      (state.Resource?.includes(':function:') ? functionId(state.Resource) : undefined);
    if (state.Type === 'Task' && id) into[id] = name;
    const inner = (state.ItemProcessor ?? state.Iterator) as
      { States?: Record<string, AslState> } | undefined;
    if (inner?.States) taskFunctions(inner.States, into);
  }
}

/** The daily and back-fill machines and the step functions, found by their state names. */
export function pipelineResources(template: CfnTemplate): PipelineResources {
  const machines = resolveStateMachines(template);
  const find = (names: readonly string[]): { logicalId: string; states: Record<string, AslState> } => {
    const found = machines.filter((m) => names.every((n) => n in m.definition.States));
    const [only] = found;
    if (!only || found.length > 1)
      throw new TemplateResolutionError(
        `expected one state machine with ${names.join(', ')}, found ${found.length}`,
      );
    return { logicalId: only.logicalId, states: only.definition.States };
  };
  const daily = find(STEP_NAMES);
  const backfill = find([BACKFILL_STATE_NAMES.plan, BACKFILL_STATE_NAMES.runDays]);
  const stepOfFunction: Record<string, string> = {};
  taskFunctions(daily.states, stepOfFunction);
  // Only the daily steps and the scale-out states are the dashboard's "step functions".
  const known = new Set<string>([...STEP_NAMES, ...Object.values(SCALE_OUT_STATE_NAMES)]);
  return {
    dailyStateMachine: daily.logicalId,
    backfillStateMachine: backfill.logicalId,
    stepOfFunction: Object.fromEntries(Object.entries(stepOfFunction).filter(([, s]) => known.has(s))),
  };
}
