import type { ValidatedDay } from '../shared/step-payloads';
import { InvalidRequest } from '../shared/errors';
import { isCompactDate, isIsoDate, toCompactDate } from '../domain/calendar';

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function field(
  record: Record<string, unknown>,
  name: string,
  path: string,
  ok: (v: unknown) => boolean,
): unknown {
  const value = record[name];
  if (!ok(value)) throw new InvalidRequest(`${path}${name} is missing or invalid, got ${show(value)}`);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';

/** The Clean step's input (`$.day`, the Validate step's result), checked field by field. */
export function parseValidatedDay(event: unknown): ValidatedDay {
  if (!isObject(event)) throw new InvalidRequest(`day must be an object, got ${show(event)}`);
  const date = field(event, 'date', 'day.', (v) => typeof v === 'string' && isIsoDate(v)) as string;
  const compactDate = field(
    event,
    'compactDate',
    'day.',
    (v) => typeof v === 'string' && isCompactDate(v),
  ) as string;
  if (compactDate !== toCompactDate(date)) {
    throw new InvalidRequest(`day.compactDate ${compactDate} does not match day.date ${date}`);
  }
  const runId = field(event, 'runId', 'day.', nonEmpty) as string;
  const source = field(event, 'source', 'day.', isObject) as Record<string, unknown>;
  const allowVolumeDrop = field(
    event,
    'allowVolumeDrop',
    'day.',
    (v) => v === undefined || typeof v === 'boolean',
  ) as boolean | undefined;
  return {
    ...(allowVolumeDrop === true ? { allowVolumeDrop } : {}),
    date,
    compactDate,
    runId,
    source: {
      bucket: field(source, 'bucket', 'day.source.', nonEmpty) as string,
      key: field(source, 'key', 'day.source.', nonEmpty) as string,
      etag: field(source, 'etag', 'day.source.', (v) => typeof v === 'string') as string,
      bytes: field(
        source,
        'bytes',
        'day.source.',
        (v) => Number.isSafeInteger(v) && (v as number) >= 0,
      ) as number,
    },
  };
}
