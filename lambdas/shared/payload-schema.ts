/**
 * How a step reads its input: a zod schema per payload (next to the payload's types), checked once at
 * the boundary by the Lambda handler and by the local task that stands in for it. A payload that
 * does not match fails with `InvalidRequest` (never retried: the same input fails the same way) and
 * a one-line message naming the field path and the problem.
 */
import * as z from 'zod';
import { isCompactDate, isIsoDate } from '../domain/calendar';
import { InvalidRequest } from './errors';

/** A string with at least one character. */
export const nonEmptyText = z
  .string({ error: 'must be a non-empty string' })
  .min(1, { error: 'must be a non-empty string' });

/** A whole number from 0 up to 2^53 - 1 (a count or a size). */
export const count = z
  .number({ error: 'must be a whole number >= 0' })
  .int({ error: 'must be a whole number >= 0' })
  .min(0, { error: 'must be a whole number >= 0' });

/** A real calendar day written `YYYY-MM-DD`. */
export const isoDate = z
  .string({ error: 'must be a real calendar date as YYYY-MM-DD' })
  .refine(isIsoDate, { error: 'must be a real calendar date as YYYY-MM-DD' });

/** A real calendar day written `YYYYMMDD`, as in file names. */
export const compactDate = z
  .string({ error: 'must be a real calendar date as YYYYMMDD' })
  .refine(isCompactDate, { error: 'must be a real calendar date as YYYYMMDD' });

/**
 * For a cross-field check (`.refine`/`.superRefine` on an object): run it only once every field has
 * passed, so it sees well-formed values and the error names the first real problem.
 */
export const ONCE_FIELDS_PASS = {
  when: (payload: z.core.ParsePayload): boolean => payload.issues.length === 0,
} as const;

const show = (value: unknown): string => {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

/** `['source', 'key']` under `day` -> `day.source.key`; array indexes as `[i]`. */
function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let text = root;
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? 'input' : text;
}

/** A problem as one line: `<field path> <problem>, got <value>` (or `is missing` for an absent field). */
function describeIssue(root: string, issue: z.core.$ZodIssue): string {
  const where = fieldPath(root, issue.path);
  if (!('input' in issue)) return `${where} ${issue.message}`;
  if (issue.input === undefined && issue.code === 'invalid_type') {
    return `${where} is missing (it ${issue.message})`;
  }
  // A cross-field check's input is the whole (already stripped) object: its message says what is wrong.
  if (issue.code === 'custom' && typeof issue.input === 'object' && issue.input !== null) {
    return `${where} ${issue.message}`;
  }
  return `${where} ${issue.message}, got ${show(issue.input)}`;
}

/**
 * A parser for one payload: `input` -> the schema's output, or `InvalidRequest` naming the first
 * problem. `root` names the payload where the state machine puts it (`day`, `clean`, ...), so the
 * path reads as the state's JSON path; empty for a step whose input is the whole execution input.
 */
export function payloadParser<S extends z.ZodType>(schema: S, root: string): (input: unknown) => z.output<S> {
  return (input) => parsePayload(schema, input, root);
}

/** {@link payloadParser} for a payload whose name is only known at the call (e.g. a result file's key). */
export function parsePayload<S extends z.ZodType>(schema: S, input: unknown, root: string): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  throw new InvalidRequest(
    first ? `${describeIssue(root, first)}${more}` : `${fieldPath(root, [])} is invalid`,
    {
      cause: result.error,
    },
  );
}
