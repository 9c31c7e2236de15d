/**
 * The staging CSV the Prepare step writes and the Distributed Map's S3 CSV ItemReader reads: one
 * record of the day file per physical line, always the same seven columns, so reading it needs no
 * trust in any CSV dialect.
 *
 *     line,user_id,user_data,reason,detail,raw,spill
 *
 * - `line`: the record's 1-based physical line in the day file (the header is line 1), as the
 *   single-Lambda path numbers it (blank lines and line breaks inside quotes counted).
 * - `user_id`, `user_data`: the record's two fields, as read.
 * - `reason`, `detail`: set only for a record rejected at the CSV level (malformed quoting, wrong
 *   column count), which the worker then only reports.
 * - `raw`: the record re-encoded as the rejected-rows object shows it: always for a CSV-level
 *   rejection (even empty), otherwise only when it cannot be rebuilt from user_id and user_data
 *   (a header other than exactly `user_id,user_data`, where it always holds a comma).
 * - `spill`: set only when the record is too long for a Map item (see {@link SPILL_CHARS}): the key
 *   of an object that holds the full staging line; every other field is then empty.
 *
 * No field ever needs CSV quoting or escaping: in a value, each `%`, `"`, `,`, `\`, CR and LF, and its
 * leading and trailing whitespace, are percent-encoded (UTF-8, as `encodeURIComponent` would; the
 * rest stays as it is, so `decodeURIComponent` restores the value); a plain value never holds `%`,
 * so "holds a `%`" is exactly "was encoded". Field values therefore survive any CSV reader
 * unchanged: the ItemReader's quoting, trimming and escaping rules never come into play. The
 * backslash matters: Step Functions' CSV reader treats it as an escape and silently drops one
 * followed by any other character ("How Step Functions parses input CSV files",
 * https://docs.aws.amazon.com/step-functions/latest/dg/example-csv-parse-dist-map.html), and every
 * user_data holds `\n` separators. Only these characters are encoded (not all that
 * `encodeURIComponent` would): `:` `[` `]` and spaces inside user_data stay one byte.
 */

import { InvalidRequest } from '../../shared/errors';

export const STAGING_COLUMNS = ['line', 'user_id', 'user_data', 'reason', 'detail', 'raw', 'spill'] as const;
export type StagingColumn = (typeof STAGING_COLUMNS)[number];

export const STAGING_HEADER = `${STAGING_COLUMNS.join(',')}\n`;

/**
 * A staging line longer than this is spilled to its own object. Its JSON form (what counts against
 * the ItemBatcher's MaxInputBytesPerBatch) is then at most 6 bytes per character (`\u0001`), so a
 * Map item stays under 192 KiB, below the 256 KiB payload limit with room for the batch input.
 */
export const SPILL_CHARS = 32 * 1024;

/** What needs encoding besides backslashes (user_data's usual escapes, encoded by a faster route). */
const NEEDS_ENCODING = /[%",\r\n]|^\s|\s$/;
const ENCODED = /[%",\\\r\n]|^\s+|\s+$/g;

function encodeField(value: string): string {
  if (NEEDS_ENCODING.test(value)) return value.replace(ENCODED, encodeURIComponent);
  return value.includes('\\') ? value.replaceAll('\\', '%5C') : value;
}

export function decodeField(value: string): string {
  return value.indexOf('%') === -1 ? value : decodeURIComponent(value);
}

/** One record as the staging CSV carries it (decoded). */
export interface StagedRecord {
  readonly line: number;
  readonly userId: string;
  readonly userData: string;
  /** Set for a record rejected at the CSV level. */
  readonly csvRejection?: { readonly reason: string; readonly detail: string };
  /** The rejected-rows `raw` of the record, when it is not rawLine([userId, userData]). */
  readonly raw?: string;
}

/** The staging line of a record (with its line break). */
export function stagingLine(record: StagedRecord, spill = ''): string {
  const reason = record.csvRejection?.reason ?? '';
  const detail = record.csvRejection?.detail ?? '';
  return (
    `${record.line},${encodeField(record.userId)},${encodeField(record.userData)},` +
    `${encodeField(reason)},${encodeField(detail)},${encodeField(record.raw ?? '')},${encodeField(spill)}\n`
  );
}

/** The line that stands for a spilled record: its line number and where the full line is. */
export function spilledLine(line: number, key: string): string {
  return `${line},,,,,,${encodeField(key)}\n`;
}

/** A staging row as the ItemReader hands it over: column name -> value, all strings. */
export type StagingRow = Readonly<Partial<Record<StagingColumn, string>>>;

/** Splits one staging line (no quoting is ever needed, see above) into its row. */
export function parseStagingLine(text: string): StagingRow {
  const values = text.replace(/\r?\n$/, '').split(',');
  if (values.length !== STAGING_COLUMNS.length) {
    throw new InvalidRequest(
      `a staging line has ${values.length} fields, expected ${STAGING_COLUMNS.length}`,
    );
  }
  return Object.fromEntries(STAGING_COLUMNS.map((column, i) => [column, values[i] as string]));
}

/** The record a staging row stands for (spilled rows must be resolved first). */
export function stagedRecord(row: StagingRow): StagedRecord {
  const line = Number(row.line);
  if (!Number.isSafeInteger(line) || line < 2)
    throw new InvalidRequest(`staging row has no valid line: ${row.line}`);
  const reason = decodeField(row.reason ?? '');
  const raw = decodeField(row.raw ?? '');
  const record = { line, userId: decodeField(row.user_id ?? ''), userData: decodeField(row.user_data ?? '') };
  // A CSV-level rejection always carries its raw (possibly empty); otherwise empty means "rebuild it".
  if (reason !== '')
    return { ...record, csvRejection: { reason, detail: decodeField(row.detail ?? '') }, raw };
  return raw === '' ? record : { ...record, raw };
}
