/**
 * How the local runner executes a Distributed Map. aws-local-stepfunctions runs a Map state as an
 * inline Map over an array in the state: it ignores ItemReader, ItemBatcher and ResultWriter (and
 * would fail, the Map's input not being an array). So, at load time, each Distributed Map state of
 * the definition becomes a Task state with the same InputPath, ResultSelector, ResultPath,
 * OutputPath, Retry, Catch and Next, whose local handler (distributed-map.ts) does what the service
 * does with the Map's own fields: read the items (ItemReader), shape them (ItemSelector), batch them
 * (ItemBatcher), run the ItemProcessor (the definition's, on the same engine) per batch with the
 * Map's concurrency and failure tolerance, and write the results (ResultWriter).
 *
 * Why a Task and not a rewritten inline Map: an inline Map would need extra states to feed it the
 * batches and to write the results, changing the graph the tests and notifications see; a Task in
 * the Map's place keeps every transition, retry and catch of the definition, and the engine's
 * Task override is the one hook it offers for running our code in a state.
 */
import type { AslDefinition, AslState, CfnTemplate } from './resolve-template';

/** The Resource of the Task that stands for a Distributed Map locally (no such AWS resource). */
export const LOCAL_DISTRIBUTED_MAP_RESOURCE = 'arn:aws:states:::local:distributedMap';

/** A Map state's run has no time limit of its own on AWS; the local Task needs one (engine default 60 s). */
const MAP_TIMEOUT_SECONDS = 24 * 3600;

/** The state fields a Task keeps from the Map it replaces (the rest is the handler's business). */
const KEPT_FIELDS = [
  'Comment',
  'InputPath',
  'ResultSelector',
  'ResultPath',
  'OutputPath',
  'Retry',
  'Catch',
  'Next',
  'End',
];

export interface LocalizedDefinition {
  readonly definition: AslDefinition;
  /** The Distributed Map states the Tasks stand for, by state name, as the definition wrote them. */
  readonly maps: Readonly<Record<string, AslState>>;
}

export function isDistributedMap(state: AslState): boolean {
  const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
  return state.Type === 'Map' && processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

function functionTimeout(
  resource: string | undefined,
  template: CfnTemplate | undefined,
): number | undefined {
  const logicalId = /:function:([^:]+)$/.exec(resource ?? '')?.[1];
  const timeout = logicalId ? template?.Resources?.[logicalId]?.Properties?.Timeout : undefined;
  return typeof timeout === 'number' ? timeout : undefined;
}

/** Each Lambda Task without TimeoutSeconds gets its function's timeout, as on AWS (see withLambdaTimeouts). */
function withTimeouts(
  states: Record<string, AslState>,
  template: CfnTemplate | undefined,
): Record<string, AslState> {
  return Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      if (state.Type !== 'Task' || state.TimeoutSeconds !== undefined) return [name, state];
      const timeout = functionTimeout(state.Resource, template);
      return [name, timeout === undefined ? state : { ...state, TimeoutSeconds: timeout }];
    }),
  );
}

/**
 * The definition with each top-level Distributed Map replaced by a Task for the local handler, and
 * Lambda Tasks (top level and inside the Maps' ItemProcessors) bounded by their functions' timeouts.
 * A definition without a Distributed Map comes back unchanged but for those timeouts.
 */
export function localizeDistributedMaps(
  definition: AslDefinition,
  template?: CfnTemplate,
): LocalizedDefinition {
  const maps: Record<string, AslState> = {};
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(withTimeouts(definition.States, template))) {
    if (!isDistributedMap(state)) {
      states[name] = state;
      continue;
    }
    const processor = state.ItemProcessor as AslDefinition;
    maps[name] = {
      ...state,
      ItemProcessor: { ...processor, States: withTimeouts(processor.States, template) },
    };
    const kept = Object.fromEntries(
      KEPT_FIELDS.filter((f) => state[f] !== undefined).map((f) => [f, state[f]]),
    );
    states[name] = {
      ...kept,
      Type: 'Task',
      Resource: LOCAL_DISTRIBUTED_MAP_RESOURCE,
      TimeoutSeconds: MAP_TIMEOUT_SECONDS,
    } as AslState;
  }
  return { definition: { ...definition, States: states }, maps };
}
