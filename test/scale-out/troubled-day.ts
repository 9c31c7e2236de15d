/**
 * A generated day (local/runner/generate.ts) with trouble placed at chosen records, so that duplicates
 * and user_id conflicts land in different batches of BATCH rows, some right at a batch boundary.
 * Records are addressed by their 0-based index after the header: the Map's item index.
 */
import { generateDayCsv } from '../../local/runner/generate';

/** Rows per worker in the scale-out runs of these tests (a prime: boundaries fall anywhere). */
export const BATCH = 97;

const SEARCH = (id: number, clicks: number, listings: number, type: string): string =>
  `--\\\\n-:search_id:${id}\\\\n:enabled:True\\\\n:clicks:${clicks}\\\\n:created_at:20210702\\\\n:listings:${listings}\\\\n:type:${type}\\n`;
const UNREADABLE =
  '--\\\\n-:search_id:9\\\\n:enabled:True\\\\n:created_at:20210702\\\\n:listings:1\\\\n:type:Rental\\n';

const userIdOf = (row: string): string => row.slice(0, row.indexOf(','));
const dataOf = (row: string): string => row.slice(row.indexOf(',') + 1);

export interface TroubleOptions {
  /** CRLF line ends. @default LF */
  readonly crlf?: boolean;
  /** Header `id,user_data,source` and a third field on every line (rejected rows then keep it). */
  readonly extraColumn?: boolean;
}

export interface TroubledDay {
  /** The file: header, records, LF line ends (or CRLF), ending with a malformed quote. */
  readonly csv: string;
  /** Records (the header excluded). */
  readonly records: number;
  /** Where each kind of trouble is, by record index. */
  readonly at: Readonly<Record<string, readonly number[]>>;
}

/**
 * `users` generated users, then, by record index (batch = index / BATCH):
 * - exact duplicates of an earlier batch's line, and of the line just before a batch boundary;
 * - a different user_data for a user_id kept in an earlier batch, and across a boundary;
 * - a user_id kept in batch 0, then in batch 4 a different line (kept there, rejected globally)
 *   followed by the batch-0 line again (rejected there, a duplicate globally);
 * - a user_id kept in batch 0, then the same different line twice in batch 5 (kept, then duplicate
 *   there; both rejected globally);
 * - an unreadable line, a readable one of the same user_id two batches later (kept: the first was
 *   never kept) and an unreadable one again later (a `duplicate_user_id` globally);
 * - an empty user_id, a too long one, a wrong column count, a user_id that needs CSV quoting (and
 *   percent-encoding in the staging CSV), a user_data with a line break inside quotes, a blank line,
 *   and a malformed quote as the very last record.
 */
export function troubledDayCsv(day: string, users = 2000, options: TroubleOptions = {}): TroubledDay {
  const generated = generateDayCsv(day, 20210702, Math.ceil(users * 1.25))
    .trimEnd()
    .split('\n')
    .slice(1);
  const rows = generated.slice(0, users);
  if (rows.length < Math.max(users, 1000))
    throw new Error(`need at least ${users} generated rows, got ${rows.length}`);
  const at: Record<string, number[]> = {};
  const put = (kind: string, index: number, row: string): void => {
    rows[index] = row;
    (at[kind] ??= []).push(index);
  };
  const other = (n: number): string => SEARCH(70000 + n, 5 + (n % 4), n % 30, n % 2 ? 'Sales' : 'Rental');

  put('duplicate', 150, rows[10] as string);
  put('duplicate', 97, rows[96] as string);
  put('conflict', 300, `${userIdOf(rows[20] as string)},${other(1)}`);
  put('conflict', 194, `${userIdOf(rows[193] as string)},${other(2)}`);
  const b = userIdOf(rows[30] as string);
  put('conflict', 400, `${b},${other(3)}`);
  put('duplicate', 410, rows[30] as string);
  const c = userIdOf(rows[40] as string);
  put('conflict', 500, `${c},${other(4)}`);
  put('conflict', 510, `${c},${other(4)}`);
  const d = 'late-fixer';
  put('unreadable', 50, `${d},${UNREADABLE}`);
  put('kept-after-unreadable', 250, `${d},${other(5)}`);
  put('conflict', 700, `${d},${UNREADABLE}`);
  put('empty-user-id', 800, `,${dataOf(rows[800] as string)}`);
  put('too-long-user-id', 820, `${'u'.repeat(300)},${dataOf(rows[820] as string)}`);
  const wrongCount = options.extraColumn ? '' : ',extra';
  put(
    'wrong-column-count',
    850,
    `${userIdOf(rows[850] as string)},${dataOf(rows[850] as string)}${wrongCount}`,
  );
  put('quoted-user-id', 870, `"7,7% ""q""",${other(6)}`);
  put('line-break-inside-quotes', 900, `nl-user,"${SEARCH(42, 4, 3, 'Rental\nhouse')}"`);
  put('duplicate', 950, rows[870] as string);
  const lines = options.extraColumn
    ? [
        'id,user_data,source',
        ...rows.map((row, i) => (at['wrong-column-count']?.includes(i) ? row : `${row},web`)),
      ]
    : ['user_id,user_data', ...rows];
  lines.splice(601, 0, ''); // a blank line before record 600: no record, but it counts in the line numbers
  const end = options.crlf ? '\r\n' : '\n';
  const csv = [...lines, '4242,"x"y'].join(end) + end;
  return { csv, records: users + 1, at };
}
