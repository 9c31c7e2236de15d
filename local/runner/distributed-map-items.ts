/**
 * The item side of a local Distributed Map (see distributed-map.ts): the items from the state's
 * ItemReader (an S3 CSV object) or ItemsPath, and their batches as the ItemBatcher would make them.
 * Payload templates and paths are evaluated by the engine itself (a one-state Pass machine).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

import type { AslState } from './resolve-template';
import { csvRowsAsItems, parseStepFunctionsCsv } from './step-functions-csv';

export type Json = unknown;

/** An error as the Map state reports it: the name is what Retry and Catch match. */
export class MapStateError extends Error {
  constructor(name: string, message: string) {
    super(message);
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

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}

/** The items of an S3 CSV ItemReader: one object per data row, keyed by the header (step-functions-csv.ts). */
async function readCsvItems(reader: ItemReader, input: Json, s3: S3Client): Promise<Json[]> {
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
  let text: string;
  try {
    text = await readObject(s3, where.Bucket, where.Key);
  } catch (error) {
    throw new MapStateError(
      'States.ItemReaderFailed',
      `cannot read s3://${where.Bucket}/${where.Key}: ${String(error)}`,
    );
  }
  const rows = parseStepFunctionsCsv(text, DELIMITERS[config.CSVDelimiter ?? 'COMMA'] ?? ',');
  const header = config.CSVHeaderLocation === 'GIVEN' ? (config.CSVHeaders ?? []) : (rows.shift() ?? []);
  const items = csvRowsAsItems(header, rows);
  return config.MaxItems === undefined ? items : items.slice(0, config.MaxItems);
}

export async function readItems(state: AslState, input: Json, s3: S3Client): Promise<Json[]> {
  const reader = field<ItemReader>(state, 'ItemReader');
  if (reader) return readCsvItems(reader, input, s3);
  const path = field<string>(state, 'ItemsPath');
  const items =
    path === undefined
      ? input
      : await evaluate({ 'value.$': path }, input).then((r) => (r as { value: Json }).value);
  if (!Array.isArray(items))
    throw new MapStateError('States.Runtime', 'the Map has no ItemReader and its items are not an array');
  return items;
}

interface ItemBatcher {
  readonly MaxItemsPerBatch?: number;
  readonly MaxInputBytesPerBatch?: number;
  readonly BatchInput?: Json;
}

/** Consecutive items grouped as the ItemBatcher would: as many as fit both limits, in order. */
export async function batches(state: AslState, items: Json[], input: Json): Promise<Json[]> {
  const batcher = field<ItemBatcher & Record<string, unknown>>(state, 'ItemBatcher');
  if (!batcher) return items;
  unsupported(batcher as unknown as AslState, ['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath']);
  const batchInput = batcher.BatchInput === undefined ? undefined : await evaluate(batcher.BatchInput, input);
  const maxItems = batcher.MaxItemsPerBatch || Number.POSITIVE_INFINITY;
  const maxBytes = batcher.MaxInputBytesPerBatch || Number.POSITIVE_INFINITY;
  const shell = (batch: Json[]): Json =>
    batchInput === undefined ? { Items: batch } : { Items: batch, BatchInput: batchInput };
  const emptyBytes = Buffer.byteLength(JSON.stringify(shell([])));
  const result: Json[] = [];
  let current: Json[] = [];
  let bytes = emptyBytes;
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item));
    if (emptyBytes + itemBytes > maxBytes) {
      throw new MapStateError(
        'States.Runtime',
        `an item of ${itemBytes} bytes does not fit MaxInputBytesPerBatch ${maxBytes}`,
      );
    }
    if (current.length > 0 && (current.length >= maxItems || bytes + 1 + itemBytes > maxBytes)) {
      result.push(shell(current));
      current = [];
      bytes = emptyBytes;
    }
    bytes += itemBytes + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) result.push(shell(current));
  return result;
}
