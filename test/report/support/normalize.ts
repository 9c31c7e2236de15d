/** Result rows from PGlite in the oracle's terms: DATE as YYYY-MM-DD, BIGINT as number. */
export function normalizeRows(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => {
        if (value instanceof Date) return [key, value.toISOString().slice(0, 10)];
        if (typeof value === 'bigint') return [key, Number(value)];
        return [key, value];
      }),
    ),
  );
}
