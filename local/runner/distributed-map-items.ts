/**
 * The item side of a local Distributed Map (see distributed-map.ts): the items from the state's
 * ItemReader (an S3 CSV object, streamed) or ItemsPath, and their batches as the ItemBatcher would
 * make them, all as async iterables, so a day's items are never held at once.
 * Payload templates and paths are evaluated by the engine itself (a one-state Pass machine).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

import type { AslState } from './resolve-template';
import { csvItems } from './step-functions-csv-stream';

export type Json = unknown;

/** An error as the Map state reports it: the name is what Retry and Catch match. */
export class MapStateError extends Error {
  constructor(name: string, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

const templateMachines = new Map<string, StateMachine>();

/** Evaluates a payload template (or a path, with `{"value.$": path}`) the way the engine does. */
export async function evaluate(
  template: Json,
  input: Json,
  context: Record<string, unknown> = {},
): Promise<Json> {
  const key = JSON.stringify(template);
  let machine = templateMachines.get(key);
  if (!machine) {
    const definition = { StartAt: 'T', States: { T: { Type: 'Pass', Parameters: template, End: true } } };
    machine = new StateMachine(definition as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    templateMachines.set(key, machine);
  }
  return machine.run(input as never, { context }).result;
}

export function field<T>(state: AslState, name: string): T | undefined {
  return state[name] as T | undefined;
}

export function unsupported(state: AslState, names: string[]): void {
  const present = names.filter((n) => state[n] !== undefined);
  if (present.length > 0)
    throw new MapStateError('States.Runtime', `not supported locally: ${present.join(', ')}`);
}

const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

interface ItemReader {
  readonly Resource?: string;
  readonly Parameters?: Json;
  readonly ReaderConfig?: {
    readonly InputType?: string;
    readonly CSVHeaderLocation?: string;
    readonly CSVHeaders?: string[];
    readonly CSVDelimiter?: string;
    readonly MaxItems?: number;
  };
}

async function objectBody(s3: S3Client, bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = out.Body as AsyncIterable<Uint8Array> | undefined;
  return body ?? (async function* () {})();
}

/**
 * The items of an S3 CSV ItemReader, streamed: one object per data row, keyed by the header
 * (step-functions-csv.ts). The object is read as the items are taken, never whole.
 */
async function* readCsvItems(reader: ItemReader, input: Json, s3: S3Client): AsyncGenerator<Json> {
  const config = reader.ReaderConfig ?? {};
  if (!/:states:::s3:getObject$/.test(reader.Resource ?? '') || config.InputType !== 'CSV') {
    throw new MapStateError(
      'States.Runtime',
      `ItemReader ${reader.Resource} / ${config.InputType} is not supported locally`,
    );
  }
  const where = (await evaluate(reader.Parameters ?? {}, input)) as { Bucket?: string; Key?: string };
  if (!where.Bucket || !where.Key)
    throw new MapStateError('States.ItemReaderFailed', 'ItemReader needs Bucket and Key');
  const failed = (error: unknown): MapStateError =>
    new MapStateError(
      'States.ItemReaderFailed',
      `cannot read s3://${where.Bucket}/${where.Key}: ${String(error)}`,
      { cause: error },
    );
  let body: AsyncIterable<Uint8Array>;
  try {
    body = await objectBody(s3, where.Bucket, where.Key);
  } catch (error) {
    throw failed(error);
  }
  const items = csvItems(body, {
    delimiter: DELIMITERS[config.CSVDelimiter ?? 'COMMA'] ?? ',',
    header: config.CSVHeaderLocation === 'GIVEN' ? (config.CSVHeaders ?? []) : undefined,
    maxItems: config.MaxItems,
  });
  // Only the reading may fail here: a consumer's error is thrown at its own `for await`, not into this.
  try {
    for (;;) {
      let next: IteratorResult<Json>;
      try {
        next = await items.next();
      } catch (error) {
        throw failed(error);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await items.return(undefined); // a consumer that stops early closes the object's stream
  }
}

/** The Map's items, in order, as they are read: from the ItemReader, or the array at ItemsPath. */
export async function* readItems(state: AslState, input: Json, s3: S3Client): AsyncGenerator<Json> {
  const reader = field<ItemReader>(state, 'ItemReader');
  if (reader) {
    yield* readCsvItems(reader, input, s3);
    return;
  }
  const path = field<string>(state, 'ItemsPath');
  const items =
    path === undefined
      ? input
      : await evaluate({ 'value.$': path }, input).then((r) => (r as { value: Json }).value);
  if (!Array.isArray(items))
    throw new MapStateError('States.Runtime', 'the Map has no ItemReader and its items are not an array');
  yield* items as Json[];
}

/** The context paths an ItemSelector can take without the engine (each row costs ~0.1 ms there). */
const ITEM_CONTEXT_PATHS: Record<string, (index: number, value: Json) => Json> = {
  '$$.Map.Item.Index': (index) => index,
  '$$.Map.Item.Value': (_index, value) => value,
};

/**
 * The ItemSelector as a function of the item and its index. A selector made only of
 * `"<key>.$": "$$.Map.Item.Index"` / `"$$.Map.Item.Value"` fields (the daily machine's) is applied
 * directly, giving what the engine gives (tested); anything else is evaluated by the engine.
 */
export function itemSelector(
  selector: Json,
  input: Json,
): ((index: number, value: Json) => Json | Promise<Json>) | undefined {
  if (selector === undefined) return undefined;
  const entries = selector !== null && typeof selector === 'object' ? Object.entries(selector) : [];
  const direct = entries.map(([key, path]) => ({
    name: key.endsWith('.$') ? key.slice(0, -2) : undefined,
    pick: typeof path === 'string' ? ITEM_CONTEXT_PATHS[path] : undefined,
  }));
  const simple = !Array.isArray(selector) && entries.length > 0;
  if (simple && direct.every((d) => d.name !== undefined && d.pick !== undefined)) {
    return (index, value) => Object.fromEntries(direct.map((d) => [d.name, d.pick?.(index, value)]));
  }
  return (index, value) => evaluate(selector, input, { Map: { Item: { Index: index, Value: value } } });
}

interface ItemBatcher {
  readonly MaxItemsPerBatch?: number;
  readonly MaxInputBytesPerBatch?: number;
  readonly BatchInput?: Json;
}

/**
 * Consecutive items grouped as the ItemBatcher would: as many as fit both limits, in order. Each
 * batch is yielded as soon as it is closed, so one batch is held at a time.
 */
export async function* batches(
  state: AslState,
  items: AsyncIterable<Json>,
  input: Json,
): AsyncGenerator<Json> {
  const batcher = field<ItemBatcher & Record<string, unknown>>(state, 'ItemBatcher');
  if (!batcher) {
    yield* items;
    return;
  }
  unsupported(batcher as unknown as AslState, ['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath']);
  const batchInput = batcher.BatchInput === undefined ? undefined : await evaluate(batcher.BatchInput, input);
  const maxItems = batcher.MaxItemsPerBatch || Number.POSITIVE_INFINITY;
  const maxBytes = batcher.MaxInputBytesPerBatch || Number.POSITIVE_INFINITY;
  const shell = (batch: Json[]): Json =>
    batchInput === undefined ? { Items: batch } : { Items: batch, BatchInput: batchInput };
  const emptyBytes = Buffer.byteLength(JSON.stringify(shell([])));
  let current: Json[] = [];
  let bytes = emptyBytes;
  for await (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item));
    if (emptyBytes + itemBytes > maxBytes) {
      throw new MapStateError(
        'States.Runtime',
        `an item of ${itemBytes} bytes does not fit MaxInputBytesPerBatch ${maxBytes}`,
      );
    }
    if (current.length > 0 && (current.length >= maxItems || bytes + 1 + itemBytes > maxBytes)) {
      yield shell(current);
      current = [];
      bytes = emptyBytes;
    }
    bytes += itemBytes + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) yield shell(current);
}
