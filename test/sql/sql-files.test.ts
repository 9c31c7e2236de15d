import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { MANIFEST_URI_PLACEHOLDER } from '../../lambdas/load/warehouse-batch';
import {
  hasLiteral,
  renderSql,
  substituteLiteral,
  toPositional,
  type SqlDialect,
} from '../../lambdas/shared/sql-dialect';
import { defaultSqlRoots, readSqlFolder } from '../../lambdas/shared/sql-files';
import { freshPglite } from '../support/pglite';

const sqlRoot = defaultSqlRoots().find((root) => {
  try {
    return statSync(root).isDirectory();
  } catch {
    return false;
  }
}) as string;
const folders = readdirSync(sqlRoot).filter((entry) => statSync(join(sqlRoot, entry)).isDirectory());
const everyFile = folders.flatMap((folder) =>
  readSqlFolder(folder).map((file) => [file.name, file.text] as const),
);
const dialects: SqlDialect[] = ['redshift', 'postgres'];

describe.each(dialects)('every sql/ file rendered for %s', (dialect) => {
  test.each(everyFile)(
    '%s is one statement with a why-comment, nothing dialect-specific left over',
    (_name, text) => {
      expect(text.trimStart().startsWith('--')).toBe(true);
      const rendered = renderSql(text, dialect);
      // One exception, PostgreSQL only: a whole-statement anonymous block `DO $$ ... $$` (roles are
      // server-wide there, so creating one tolerates an existing one); its `;` and BEGIN/END are
      // PL/pgSQL's, not a transaction's. Its body is checked like any statement.
      const block = dialect === 'postgres' ? /^DO \$\$ BEGIN ([^$]*) END \$\$$/.exec(rendered) : null;
      const sql = block ? (block[1] as string).replace(/;/g, ' ') : rendered;
      expect(sql).not.toMatch(/;/);
      expect(sql).not.toMatch(/\/\*|--/);
      expect(sql).not.toMatch(/\b(BEGIN|COMMIT|ROLLBACK|TRUNCATE)\b|ON CONFLICT/i);
    },
  );
});

test('the Redshift rendering carries the distribution, sort keys and COPY options; PostgreSQL does not', () => {
  const [searchStats, validSearches] = readSqlFolder('schema');
  expect(renderSql(searchStats?.text ?? '', 'redshift')).toMatch(/\)\s+DISTSTYLE ALL SORTKEY \(day\)$/);
  expect(renderSql(validSearches?.text ?? '', 'redshift')).toMatch(
    /DISTSTYLE KEY DISTKEY \(user_id\) SORTKEY \(day\)$/,
  );
  const copy = readSqlFolder('load').find((file) => hasLiteral(file.text, MANIFEST_URI_PLACEHOLDER));
  expect(renderSql(copy?.text ?? '', 'redshift')).toMatch(
    /IAM_ROLE default FORMAT AS CSV IGNOREHEADER 1 MANIFEST$/,
  );
  expect(renderSql(copy?.text ?? '', 'postgres')).toMatch(
    /WITH \(FORMAT csv, HEADER true, FORCE_NOT_NULL \([a-z_, ]+\)\)$/,
  );
  for (const file of [...readSqlFolder('schema'), ...readSqlFolder('load')]) {
    expect(renderSql(file.text, 'postgres')).not.toMatch(/DISTKEY|SORTKEY|DISTSTYLE|IAM_ROLE|MANIFEST/);
  }
});

describe('the PostgreSQL rendering runs on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await freshPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  test('the schema creates both tables with the columns of the plan, and re-applying it is harmless', async () => {
    for (const file of readSqlFolder('schema')) await db.exec(renderSql(file.text, 'postgres'));
    const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_name IN ('search_stats', 'valid_searches') ORDER BY table_name, ordinal_position`,
    );
    const names = (table: string): string[] =>
      columns.rows.filter((c) => c.table_name === table).map((c) => c.column_name);
    expect(names('search_stats').slice(0, 6)).toEqual([
      'day',
      'num_users',
      'num_searches',
      'num_rental_searches',
      'num_sale_searches',
      'num_none_searches',
    ]);
    expect(names('search_stats').slice(6)).toEqual([
      'rows_read',
      'rows_kept',
      'rows_duplicate',
      'rows_rejected',
      'source_key',
      'source_etag',
      'run_id',
      'code_version',
      'loaded_at',
    ]);
    expect(names('valid_searches')).toEqual([
      'day',
      'user_id',
      'search_seq',
      'search_id',
      'clicks',
      'created_at',
      'listings',
      'type',
      'type_bucket',
    ]);
  });

  test('every load statement runs, in file order, inside one transaction', async () => {
    const parameters: Record<string, string> = {
      day: '2021-07-02',
      num_users: '1',
      num_searches: '1',
      num_rental_searches: '1',
      num_sale_searches: '0',
      num_none_searches: '0',
      rows_read: '1',
      rows_kept: '1',
      rows_duplicate: '0',
      rows_rejected: '0',
      source_key: 'user-data/session_user_data20210702.zip',
      source_etag: '"abc"',
      run_id: 'run-1',
      code_version: 'test',
      loaded_at: '2021-07-03 00:30:00.000',
    };
    const csv =
      'day,user_id,search_seq,search_id,clicks,created_at,listings,type,type_bucket\n2021-07-02,500,1,4410,4,20210702,6,Rental,rental\n';
    await db.transaction(async (tx) => {
      for (const file of readSqlFolder('load')) {
        const sql = renderSql(file.text, 'postgres');
        if (hasLiteral(sql, MANIFEST_URI_PLACEHOLDER)) {
          await tx.query(substituteLiteral(sql, MANIFEST_URI_PLACEHOLDER, `'/dev/blob'`), [], {
            blob: new Blob([csv]),
          });
        } else {
          const { text, values } = toPositional(sql, parameters);
          await tx.query(text, values);
        }
      }
    });
    const stats = await db.query('SELECT num_users, num_searches, run_id FROM search_stats');
    expect(stats.rows).toEqual([{ num_users: 1, num_searches: 1, run_id: 'run-1' }]);
  });
});
