/**
 * A Distributed Map state, run locally the way Step Functions runs it, from the state's own fields
 * (see distributed-map-definition.ts for how it is hooked into aws-local-stepfunctions):
 * - ItemReader: an S3 CSV object read from the embedded S3 (`InputType: CSV`, header from the first
 *   row or `CSVHeaders`, `CSVDelimiter`, `MaxItems`); each row becomes `{<header>: <value>}` with
 *   string values. Without an ItemReader, the items are the array at ItemsPath (or the input).
 * - ItemSelector (or legacy Parameters): evaluated per item, with `$$.Map.Item.Index` / `.Value`.
 * - ItemBatcher: `MaxItemsPerBatch` and `MaxInputBytesPerBatch` (the batch's JSON, `{"Items",
 *   "BatchInput"}`, in UTF-8 bytes), `BatchInput` evaluated against the Map's input.
 * - ItemProcessor: the definition's child state machine, on the same engine, one execution per
 *   batch, `MaxConcurrency` at once (capped locally), its Task states mapped to local handlers by name.
 * - ToleratedFailurePercentage / ToleratedFailureCount (default 0): past them, no further child
 *   starts and the state fails with `States.ExceedToleratedFailureThreshold`.
 * - ResultWriter: `manifest.json` and `SUCCEEDED_0.json` (`FAILED_0.json`) under
 *   `<Prefix>/<map run id>/` in the embedded S3, as `WriterConfig` says (COMPACT / NONE / FLATTEN,
 *   JSON / JSONL); the state's result is then `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`.
 *   Without it, the result is the array of child outputs.
 * Payload templates and paths are evaluated by the engine itself (a one-state Pass machine), so
 * they mean what they mean everywhere else in the definition (about 0.1 ms per item), except an
 * ItemSelector made only of `$$.Map.Item.Index` / `.Value` fields, applied directly (itemSelector).
 * Everything streams: the CSV object is read as batches are taken, so memory does not grow with it. Not supported locally (they throw):
 * other ItemReader sources, the `...Path` variants of the batcher and tolerance fields.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

import {
  batches,
  evaluate,
  field,
  itemSelector,
  MapStateError,
  readItems,
  unsupported,
  type Json,
} from './distributed-map-items';
import { forEachWithConcurrency } from './pool';
import { LOCAL_ACCOUNT, LOCAL_REGION, type AslDefinition, type AslState } from './resolve-template';
import type { TaskHandler } from './tasks';

export interface DistributedMapDeps {
  readonly s3: S3Client;
  /** Local handlers of the Task states inside the ItemProcessor, by state name. */
  readonly handlers: Readonly<Record<string, TaskHandler>>;
  /** Wait before each retry inside a child, instead of the definition's intervals. */
  readonly retryIntervalMs?: number;
  /** Child executions run at once locally, at most (the process shares its cores). @default 4 */
  readonly maxLocalConcurrency?: number;
}

interface ChildOutcome {
  readonly index: number;
  readonly input: Json;
  readonly output?: Json;
  readonly error?: { readonly name: string; readonly cause: string };
  readonly started: Date;
  readonly stopped: Date;
}

/**
 * Past the Map's failure tolerance (both default to 0: no failure tolerated)? While the items are
 * still being read the total is not known (`total` undefined): only what is past the tolerance
 * whatever the total (a count, or a percentage of 0) counts then.
 */
function overTolerance(state: AslState, failed: number, total: number | undefined): boolean {
  unsupported(state, ['ToleratedFailurePercentagePath', 'ToleratedFailureCountPath']);
  const percentage = field<number>(state, 'ToleratedFailurePercentage');
  const count = field<number>(state, 'ToleratedFailureCount');
  if (percentage === undefined && count === undefined) return failed > 0;
  const overPercentage =
    percentage !== undefined &&
    (total === undefined ? percentage === 0 && failed > 0 : (failed / total) * 100 > percentage);
  return overPercentage || (count !== undefined && failed > count);
}

function childError(thrown: unknown): { name: string; cause: string } {
  const error = thrown instanceof Error && thrown.cause instanceof Error ? thrown.cause : thrown;
  return error instanceof Error
    ? { name: error.name, cause: error.message }
    : { name: 'Error', cause: String(error) };
}

interface ResultWriter {
  readonly Resource?: string;
  readonly Parameters?: Json;
  readonly WriterConfig?: { readonly Transformation?: string; readonly OutputType?: string };
}

/** A child's entry in the results, per `WriterConfig.Transformation`. */
function resultEntries(outcome: ChildOutcome, transformation: string, mapRunArn: string): Json[] {
  if (outcome.error === undefined && transformation === 'COMPACT') return [outcome.output];
  if (outcome.error === undefined && transformation === 'FLATTEN') {
    return Array.isArray(outcome.output) ? outcome.output : [outcome.output];
  }
  const name = `${mapRunArn.split(':').pop() ?? 'local'}-${outcome.index}`;
  return [
    {
      ExecutionArn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:local:${name}`,
      Name: name,
      Input: JSON.stringify(outcome.input),
      InputDetails: { Included: true },
      ...(outcome.error
        ? { Error: outcome.error.name, Cause: outcome.error.cause, Status: 'FAILED' }
        : { Output: JSON.stringify(outcome.output), OutputDetails: { Included: true }, Status: 'SUCCEEDED' }),
      StartDate: outcome.started.toISOString(),
      StopDate: outcome.stopped.toISOString(),
    },
  ];
}

/** The transformation of the children's results (the service's default: COMPACT, or NONE with a writer). */
function transformationOf(writer: ResultWriter | undefined): string {
  return writer?.WriterConfig?.Transformation ?? (writer?.Parameters ? 'NONE' : 'COMPACT');
}

/**
 * The children's results entries as the ResultWriter needs them, by child index: per child, only
 * what its entries hold (COMPACT: the output; NONE and failures: the execution's details), not the
 * batch's items, so what is kept grows with the number of children, not of rows.
 */
class MapResults {
  private readonly succeeded: { index: number; entries: Json[] }[] = [];
  private readonly failedEntries: { index: number; entries: Json[] }[] = [];
  failures = 0;
  firstFailure: { index: number; name: string; cause: string } | undefined;

  constructor(
    private readonly transformation: string,
    private readonly mapRunArn: string,
  ) {}

  add(outcome: ChildOutcome): void {
    const entries = resultEntries(outcome, this.transformation, this.mapRunArn);
    if (outcome.error === undefined) {
      this.succeeded.push({ index: outcome.index, entries });
      return;
    }
    this.failedEntries.push({ index: outcome.index, entries });
    this.failures++;
    this.firstFailure ??= { index: outcome.index, ...outcome.error };
  }

  entries(status: 'SUCCEEDED' | 'FAILED'): Json[] {
    const group = status === 'SUCCEEDED' ? this.succeeded : this.failedEntries;
    return [...group].sort((a, b) => a.index - b.index).flatMap((g) => g.entries);
  }
}

/** Writes the Map Run's results where the ResultWriter says; returns the state's result. */
async function writeResults(
  writer: ResultWriter | undefined,
  results: MapResults,
  input: Json,
  s3: S3Client,
  mapRunArn: string,
): Promise<Json> {
  if (!writer?.Parameters) return results.entries('SUCCEEDED');
  const where = (await evaluate(writer.Parameters, input)) as { Bucket?: string; Prefix?: string };
  if (!where.Bucket) throw new MapStateError('States.ResultWriterFailed', 'ResultWriter needs a Bucket');
  const prefix = where.Prefix ? `${where.Prefix.replace(/\/+$/, '')}/` : '';
  const root = `${prefix}${mapRunArn.split(':').pop() ?? randomUUID()}/`;
  const jsonl = writer.WriterConfig?.OutputType === 'JSONL';
  const files: Record<string, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  const put = async (status: 'SUCCEEDED' | 'FAILED'): Promise<void> => {
    const entries = results.entries(status);
    if (entries.length === 0) return;
    const body = jsonl ? entries.map((e) => JSON.stringify(e)).join('\n') : JSON.stringify(entries);
    const key = `${root}${status}_0.json`;
    await s3.send(new PutObjectCommand({ Bucket: where.Bucket, Key: key, Body: body }));
    files[status]?.push({ Key: key, Size: Buffer.byteLength(body) });
  };
  try {
    await put('SUCCEEDED');
    await put('FAILED');
    const manifest = { DestinationBucket: where.Bucket, MapRunArn: mapRunArn, ResultFiles: files };
    await s3.send(
      new PutObjectCommand({
        Bucket: where.Bucket,
        Key: `${root}manifest.json`,
        Body: JSON.stringify(manifest),
      }),
    );
  } catch (error) {
    throw new MapStateError(
      'States.ResultWriterFailed',
      `cannot write the results to s3://${where.Bucket}/${root}: ${String(error)}`,
      { cause: error },
    );
  }
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: where.Bucket, Key: `${root}manifest.json` } };
}

/** The child state machine of the Map, with local handlers for its Task states. */
function itemProcessor(name: string, state: AslState, deps: DistributedMapDeps) {
  const definition = state.ItemProcessor as AslDefinition;
  const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
  const missing = tasks.filter(([task]) => deps.handlers[task] === undefined).map(([task]) => task);
  if (missing.length > 0)
    throw new Error(`Map ${name}: Task state(s) ${missing.join(', ')} have no local handler`);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  const handlers = Object.fromEntries(tasks.map(([task]) => [task, deps.handlers[task] as TaskHandler]));
  const retries = Object.entries(definition.States).filter(([, s]) => s.Retry !== undefined);
  return (input: Json) =>
    machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        ...(deps.retryIntervalMs === undefined
          ? {}
          : {
              retryIntervalOverrides: Object.fromEntries(
                retries.map(([n]) => [n, deps.retryIntervalMs ?? 0]),
              ),
            }),
      },
    }).result;
}

/** The Map's items, each shaped by the ItemSelector with its index, as they are read. */
async function* selectedItems(state: AslState, input: Json, s3: S3Client): AsyncGenerator<Json> {
  const select = itemSelector(field<Json>(state, 'ItemSelector') ?? field<Json>(state, 'Parameters'), input);
  let index = 0;
  for await (const value of readItems(state, input, s3)) {
    yield select === undefined ? value : await select(index, value);
    index++;
  }
}

/**
 * The local handler of the Task standing for the Distributed Map `name` (its original state).
 * Items stream from the reader through the selector and the batcher to the children: a batch is
 * formed only when a child slot is free, so at most MaxConcurrency (capped locally) batches are held.
 */
export function distributedMapHandler(name: string, state: AslState, deps: DistributedMapDeps): TaskHandler {
  const runChild = itemProcessor(name, state, deps);
  const writer = field<ResultWriter>(state, 'ResultWriter');
  return async (input) => {
    const mapRunArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:mapRun:local/${name}:${randomUUID()}`;
    const limit = Math.min(
      field<number>(state, 'MaxConcurrency') || Number.POSITIVE_INFINITY,
      deps.maxLocalConcurrency ?? 4,
    );
    const stop = new AbortController();
    const results = new MapResults(transformationOf(writer), mapRunArn);
    const total = await forEachWithConcurrency(
      batches(state, selectedItems(state, input, deps.s3), input),
      limit,
      async (childInput, index) => {
        const started = new Date();
        try {
          const output = await runChild(childInput);
          results.add({ index, input: childInput, output, started, stopped: new Date() });
        } catch (thrown) {
          results.add({ index, input: childInput, error: childError(thrown), started, stopped: new Date() });
          if (overTolerance(state, results.failures, undefined)) stop.abort();
        }
      },
      stop.signal,
    );
    if (overTolerance(state, results.failures, total)) {
      const first = results.firstFailure;
      throw new MapStateError(
        'States.ExceedToleratedFailureThreshold',
        `${results.failures} of ${total} child executions of ${name} failed; ` +
          `child ${first?.index ?? '?'}: ${first?.name ?? ''}: ${first?.cause ?? ''}`,
      );
    }
    return writeResults(writer, results, input, deps.s3, mapRunArn);
  };
}

/** The handlers of every localized Distributed Map, by state name. */
export function distributedMapHandlers(
  maps: Readonly<Record<string, AslState>>,
  deps: DistributedMapDeps,
): Record<string, TaskHandler> {
  return Object.fromEntries(
    Object.entries(maps).map(([name, state]) => [name, distributedMapHandler(name, state, deps)]),
  );
}
