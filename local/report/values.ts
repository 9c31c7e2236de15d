/** A query returned a row the report cannot read: a missing column or a value of the wrong kind. */
export class ReportDataError extends Error {
  override name = 'ReportDataError';
}

/**
 * Reads typed values out of a result row, whatever the driver made of them: node-postgres returns
 * BIGINT and DECIMAL as strings and DATE as a local-midnight Date, PGlite a UTC-midnight Date, the
 * Redshift Data API strings.
 */
export class RowReader {
  constructor(
    private readonly row: Record<string, unknown>,
    private readonly source: string,
  ) {}

  number(column: string): number {
    const value = this.numberOrNull(column);
    if (value === null) throw this.error(column, 'is NULL');
    return value;
  }

  numberOrNull(column: string): number | null {
    const value = this.value(column);
    if (value === null) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value);
    throw this.error(column, `is not a number: ${describe(value)}`);
  }

  text(column: string): string {
    const value = this.value(column);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    throw this.error(column, `is not text: ${describe(value)}`);
  }

  boolean(column: string): boolean {
    const value = this.value(column);
    if (typeof value === 'boolean') return value;
    if (value === 't' || value === 'true') return true;
    if (value === 'f' || value === 'false') return false;
    throw this.error(column, `is not a boolean: ${describe(value)}`);
  }

  /** A DATE as `YYYY-MM-DD`. */
  day(column: string): string {
    const value = this.value(column);
    const iso = toIsoDay(value);
    if (iso === null) throw this.error(column, `is not a date: ${describe(value)}`);
    return iso;
  }

  dayOrNull(column: string): string | null {
    return this.value(column) === null ? null : this.day(column);
  }

  private value(column: string): unknown {
    if (!(column in this.row)) throw this.error(column, 'is missing');
    const value = this.row[column];
    return value === undefined ? null : value;
  }

  private error(column: string, problem: string): ReportDataError {
    return new ReportDataError(`${this.source}: column ${column} ${problem}`);
  }
}

/**
 * `YYYY-MM-DD` for a DATE value. A Date at UTC midnight (PGlite) is read in UTC; any other Date is a
 * driver's local midnight (node-postgres) and is read in local time.
 */
export function toIsoDay(value: unknown): string | null {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    const utcMidnight =
      value.getUTCHours() === 0 && value.getUTCMinutes() === 0 && value.getUTCSeconds() === 0;
    const [y, m, d] = utcMidnight
      ? [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()]
      : [value.getFullYear(), value.getMonth() + 1, value.getDate()];
    return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return null;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
