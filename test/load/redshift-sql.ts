/**
 * The load batch exactly as the Redshift Data API must receive it for the July 2 fixture: the
 * contract the mocked-client tests compare against. It is read from `sql/load/` and rendered for
 * Redshift, so the tests check the files as they are now: every file, in name order, its
 * PostgreSQL-only clauses dropped, the COPY source filled in with the quoted manifest URI.
 */
import { MANIFEST_URI_PLACEHOLDER } from '../../lambdas/load/warehouse-batch';
import { renderSql } from '../../lambdas/shared/sql-dialect';
import { readSqlFolder } from '../../lambdas/shared/sql-files';

export const JULY_2_MANIFEST_URI = 's3://clean/valid-searches/valid_searches20210702.csv.manifest';

function redshiftLoadSqls(): string[] {
  const placeholder = `'${MANIFEST_URI_PLACEHOLDER}'`;
  const sqls = readSqlFolder('load').map((file) => renderSql(file.text, 'redshift'));
  const copies = sqls.filter((sql) => sql.includes(placeholder));
  if (copies.length !== 1) {
    throw new Error(
      `expected one sql/load/ statement with the COPY source ${placeholder}, found ${copies.length}`,
    );
  }
  return sqls.map((sql) => sql.replace(placeholder, `'${JULY_2_MANIFEST_URI}'`));
}

export const REDSHIFT_LOAD_SQLS = redshiftLoadSqls();

/** The parameters of the July 2 fixture loaded at 2021-07-03T00:30:05.250Z. */
export const JULY_2_PARAMETERS = [
  { name: 'day', value: '2021-07-02' },
  { name: 'num_users', value: '2' },
  { name: 'num_searches', value: '3' },
  { name: 'num_rental_searches', value: '1' },
  { name: 'num_sale_searches', value: '1' },
  { name: 'num_none_searches', value: '1' },
  { name: 'rows_read', value: '4' },
  { name: 'rows_kept', value: '3' },
  { name: 'rows_duplicate', value: '1' },
  { name: 'rows_rejected', value: '0' },
  { name: 'source_key', value: 'user-data/session_user_data20210702.zip' },
  { name: 'source_etag', value: '"0123abcd"' },
  { name: 'run_id', value: 'run-20210702' },
  { name: 'code_version', value: 'test' },
  { name: 'loaded_at', value: '2021-07-03 00:30:05.250' },
];
