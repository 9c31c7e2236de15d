/** Runs one SQL statement and returns its rows as plain objects keyed by column name. */
export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** Anything with a `query(sql)` that resolves to `{ rows }`: a node-postgres Client or Pool, or PGlite. */
export interface SqlClient {
  query(sql: string): Promise<{ rows: unknown[] }>;
}

/** Adapts a node-postgres client or a PGlite instance to the report's {@link Query}. */
export function queryVia(client: SqlClient): Query {
  return async (sql) => {
    const result = await client.query(sql);
    return result.rows.map((row) => {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        throw new TypeError('query rows must be objects keyed by column name');
      }
      return row as Record<string, unknown>;
    });
  };
}
