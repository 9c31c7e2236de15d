/**
 * The two PostgreSQL engines the local warehouse runs on, behind one small interface:
 *  - PGlite (WASM PostgreSQL, in-process; persisted in a directory or in memory): COPY reads its data
 *    from `'/dev/blob'` with the `blob` query option (COPY FROM STDIN hangs on PGlite).
 *  - A real PostgreSQL through `pg` (one connection, reopened after it is lost): COPY FROM STDIN
 *    through pg-copy-streams.
 * Both return DATE and TIMESTAMP as their text (`2021-07-02`, `2021-07-03 00:30:00`) and BIGINT as a
 * number when it is a safe integer, so query results read the same on either engine.
 * Each engine's package loads only when it is opened: a PGlite run never loads `pg`, and back.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Client } from 'pg';

import { LOCAL_CACHE_DIR } from './cache-dir';
import { seedFromTemplate } from './pglite-template';

export type Row = Record<string, unknown>;

export interface QueryResult {
  readonly columns: string[];
  readonly rows: Row[];
}

export interface PgSession {
  query(sql: string, values?: readonly unknown[]): Promise<{ rows: Row[]; rowCount: number | undefined }>;
  /** Runs `copySql(source)`, a `COPY ... FROM <source>` statement, feeding it `csv`; resolves to the rows copied. */
  copyFrom(copySql: (source: string) => string, csv: Uint8Array): Promise<number | undefined>;
}

export interface PgDriver {
  readonly engine: 'pglite' | 'postgres';
  /** One statement outside an explicit transaction: its column names (even with no row) and rows. */
  query(sql: string, values?: readonly unknown[]): Promise<QueryResult>;
  /** Statements outside any transaction block, each committed on its own. Callers serialize. */
  readonly session: PgSession;
  /** BEGIN, `fn`, COMMIT; ROLLBACK when `fn` throws. Callers serialize transactions. */
  transaction<T>(fn: (session: PgSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const DATE = 1082;
const TIMESTAMP = 1114;
const INT8 = 20;

const asText = (value: string): string => value;
const asInt8 = (value: string): number | string => {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
};

/** The PGlite data directory cannot be opened: damaged (e.g. written by two processes) or unreadable. */
export class LocalWarehouseUnreadable extends Error {
  override name = 'LocalWarehouseUnreadable';
}

/** PGlite at `dataDir`, checked with one query: a damaged directory fails here, naming how to recover. */
async function createPglite(dataDir: string | undefined): Promise<PGlite> {
  const options = {
    ...(dataDir === undefined ? {} : { dataDir }),
    parsers: { [DATE]: asText, [TIMESTAMP]: asText, [INT8]: asInt8 },
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  let db: PGlite | undefined;
  try {
    if (dataDir !== undefined)
      await seedFromTemplate(dataDir, LOCAL_CACHE_DIR, async (fresh) => {
        await (await PGlite.create({ dataDir: fresh })).close();
      });
    db = await PGlite.create(options);
    await db.query('SELECT 1');
    return db;
  } catch (error) {
    await db?.close().catch(() => undefined);
    if (dataDir === undefined) throw error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new LocalWarehouseUnreadable(
      `the local warehouse in ${dataDir} cannot be opened (${reason}): it is damaged or unreadable. ` +
        `To recover, delete ${dataDir} and run the days again (the input files and S3 outputs are kept)`,
      { cause: error },
    );
  }
}

export async function openPglite(dataDir?: string): Promise<PgDriver> {
  const db = await createPglite(dataDir);
  const session = (tx: Transaction | PGlite): PgSession => ({
    async query(sql, values) {
      const result = await tx.query<Row>(sql, values ? [...values] : []);
      return { rows: result.rows, rowCount: result.affectedRows };
    },
    async copyFrom(copySql, csv) {
      const result = await tx.query(copySql(`'/dev/blob'`), [], { blob: new Blob([csv]) });
      return result.affectedRows;
    },
  });
  return {
    engine: 'pglite',
    session: session(db),
    async query(sql, values) {
      const result = await db.query<Row>(sql, values ? [...values] : []);
      return { columns: result.fields.map((f) => f.name), rows: result.rows };
    },
    transaction: (fn) => db.transaction((tx) => fn(session(tx))),
    close: () => db.close(),
  };
}

const PG_PARSERS: Record<number, (value: string) => unknown> = {
  [DATE]: asText,
  [TIMESTAMP]: asText,
  [INT8]: asInt8,
};

/**
 * The PostgreSQL server went away (restarted, stopped, network): the statement did not run to its
 * end and its transaction rolled back. A retry can fix it: the next use opens a new connection.
 */
export class PgConnectionLost extends Error {
  override name = 'PgConnectionLost';
}

/** Socket errors, and SQLSTATE connection exceptions (08) and operator shutdowns (57P01..57P03). */
function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    /^(08|57P0[123]|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTCONN)/.test(code)
  )
    return true;
  return typeof message === 'string' && /Connection terminated|not queryable|Client was closed/.test(message);
}

/**
 * A real PostgreSQL through one `pg` connection at a time. A server restart or stop never crashes the
 * process (pg emits 'error' on an idle connection; it has a listener here): the statement it broke, or
 * the next use while the server is down, throws PgConnectionLost, and the next use after that opens
 * a new connection, so a retry finds the restarted server.
 */
export async function openPostgres(url: string): Promise<PgDriver> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Client, types: pgTypes } = require('pg') as typeof import('pg');
  const { from: copyFromStdin } = require('pg-copy-streams') as typeof import('pg-copy-streams');
  /* eslint-enable @typescript-eslint/no-require-imports */
  let current: { client: Client; lost?: unknown } | undefined;

  const lost = (error: unknown): PgConnectionLost => {
    const text = error instanceof Error ? error.message : String(error);
    return new PgConnectionLost(`PostgreSQL connection lost: ${text}`, { cause: error });
  };

  /** The open connection, or a new one when there is none or the last one was lost. */
  const connection = async (): Promise<Client> => {
    if (current && current.lost === undefined) return current.client;
    if (current) void current.client.end().catch(() => undefined);
    current = undefined;
    const client = new Client({
      connectionString: url,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          PG_PARSERS[oid] ?? pgTypes.getTypeParser(oid, format ?? 'text')) as typeof pgTypes.getTypeParser,
      },
    });
    const entry: { client: Client; lost?: unknown } = { client };
    client.on('error', (error) => {
      entry.lost = error;
    });
    client.on('end', () => {
      entry.lost ??= new Error('Connection terminated');
    });
    try {
      await client.connect();
    } catch (error) {
      void client.end().catch(() => undefined);
      throw lost(error);
    }
    current = entry;
    return client;
  };

  /** Runs `fn` on the connection; a connection failure marks it lost and becomes PgConnectionLost. */
  const onConnection = async <T>(client: Client, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (current?.client === client && (current.lost !== undefined || isConnectionError(error))) {
        current.lost ??= error;
        throw lost(error);
      }
      throw error;
    }
  };

  const session = (client: Client): PgSession => ({
    query: (sql, values) =>
      onConnection(client, async () => {
        const result = await client.query<Row>(sql, values ? [...values] : []);
        return { rows: result.rows, rowCount: result.rowCount ?? undefined };
      }),
    copyFrom: (copySql, csv) =>
      onConnection(client, async () => {
        const stream = client.query(copyFromStdin(copySql('STDIN')));
        await pipeline(Readable.from([Buffer.from(csv.buffer, csv.byteOffset, csv.byteLength)]), stream);
        return stream.rowCount;
      }),
  });

  /** Statements outside a transaction block, each on the current (or a new) connection. */
  const autocommit: PgSession = {
    query: async (sql, values) => session(await connection()).query(sql, values),
    copyFrom: async (copySql, csv) => session(await connection()).copyFrom(copySql, csv),
  };

  await connection();
  return {
    engine: 'postgres',
    session: autocommit,
    async query(sql, values) {
      const client = await connection();
      return onConnection(client, async () => {
        const result = await client.query<Row>(sql, values ? [...values] : []);
        return { columns: result.fields.map((f) => f.name), rows: result.rows };
      });
    },
    async transaction(fn) {
      const client = await connection();
      const tx = session(client);
      await tx.query('BEGIN');
      try {
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async close() {
      const open = current;
      current = undefined;
      await open?.client.end().catch(() => undefined);
    },
  };
}
