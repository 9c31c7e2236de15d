/**
 * Rows to text: an aligned table for people, RFC 4180 CSV and JSON for programs.
 */

/** Any object; cells are read by column name. */
export type Row = object;

const cell = (row: Row, column: string): unknown => (row as Record<string, unknown>)[column];
export type OutputFormat = 'table' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

/** A cell as text: DATE columns (midnight UTC) as YYYY-MM-DD, other dates as ISO, null as empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Right-aligned in tables: numbers, numeric text (e.g. `1.5`), and empty cells among them. */
function isNumeric(value: unknown): boolean {
  return (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    value === null ||
    (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
  );
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(cellText(cell(row, c)))).join(','));
  return lines.join('\r\n') + '\r\n';
}

function toJson(columns: readonly string[], rows: readonly Row[]): string {
  const plain = rows.map((row) =>
    Object.fromEntries(
      columns.map((c) => {
        const v = cell(row, c);
        return [c, v instanceof Date || typeof v === 'bigint' ? cellText(v) : (v ?? null)];
      }),
    ),
  );
  return JSON.stringify(plain, null, 2) + '\n';
}

/** Numbers right-aligned, everything else left-aligned. */
export function toTable(columns: readonly string[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(cell(row, c))));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => isNumeric(cell(r, c))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const render = (values: readonly string[]): string =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [render(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(render)];
  return lines.join('\n') + '\n';
}

export function formatRows(format: OutputFormat, columns: readonly string[], rows: readonly Row[]): string {
  if (format === 'csv') return toCsv(columns, rows);
  if (format === 'json') return toJson(columns, rows);
  return toTable(columns, rows);
}
