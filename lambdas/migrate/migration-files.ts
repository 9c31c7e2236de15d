/**
 * The schema migrations as files: every `sql/schema/NNN_name.sql` is one migration, version `NNN`,
 * applied once, in file-name order. A file runs in one transaction with the row that records it,
 * unless it carries the marker line `-- migrate: no-transaction`: then it runs on its own and is
 * recorded right after. That is for the statements Redshift refuses inside a transaction block:
 *  - `ALTER TABLE ... ALTER COLUMN ... TYPE` ("You can't alter columns within a transaction block"),
 *    https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html
 *  - `ALTER TABLE` on an external table (same page), `ALTER TABLE APPEND`
 *    (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE_APPEND.html),
 *  - `CREATE DATABASE`, `VACUUM`, `CREATE EXTERNAL TABLE`
 *    (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_DATABASE.html,
 *    https://docs.aws.amazon.com/redshift/latest/dg/r_VACUUM_command.html,
 *    https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_TABLE.html).
 * `ALTER TABLE ... ADD COLUMN`, `CREATE TABLE`, `GRANT`, `CREATE ROLE` run inside one. A file run on
 * its own cannot be rolled back together with its version row: write it so that running it again
 * does no harm, or so that it fails harmlessly when it already took effect.
 *
 * A file marked `-- migrate: may-need-admin` needs a privilege the pipeline's database user
 * (`IAMR:<load role>`) may not have: `CREATE ROLE` takes a superuser or the CREATE ROLE privilege
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_ROLE.html), `GRANT USAGE ON SCHEMA` the
 * schema's owner. When it fails it is not recorded and does not fail the deployment: it is reported
 * as blocked, tried again on the next run, and an administrator can apply it (README "Querying").
 */
import { InvalidRequest } from '../shared/errors';
import type { SqlFile } from '../shared/sql-files';
import type { WarehouseStatement } from '../load/warehouse-batch';

export interface Migration {
  /** The file name's number, as written (`030`): the row in `schema_migrations`. */
  readonly version: string;
  /** The file, below `sql/` (`schema/030_create_reader_role.sql`). */
  readonly name: string;
  readonly statement: WarehouseStatement;
  /** False for a file marked `-- migrate: no-transaction`. */
  readonly transactional: boolean;
  /** True for a file marked `-- migrate: may-need-admin`: its failure blocks only itself. */
  readonly mayNeedAdmin: boolean;
}

const FILE_NAME = /^schema\/(\d{1,32})_[A-Za-z0-9_]+\.sql$/;
export const NO_TRANSACTION_MARKER = /^--\s*migrate:\s*no-transaction\s*$/m;
export const MAY_NEED_ADMIN_MARKER = /^--\s*migrate:\s*may-need-admin\s*$/m;

/** The migrations of the `sql/schema/` files (already in name order); throws on a bad or repeated version. */
export function migrationsFrom(files: readonly SqlFile[]): Migration[] {
  const seen = new Map<string, string>();
  return files.map((file) => {
    const match = FILE_NAME.exec(file.name);
    if (!match) {
      throw new InvalidRequest(
        `${file.name}: a migration file is named NNN_words.sql (digits, then _ and a name)`,
      );
    }
    const version = match[1] as string;
    const other = seen.get(version);
    if (other !== undefined)
      throw new InvalidRequest(`${file.name} and ${other} have the same version ${version}`);
    seen.set(version, file.name);
    return {
      version,
      name: file.name,
      statement: { name: file.name, sql: file.text },
      transactional: !NO_TRANSACTION_MARKER.test(file.text),
      mayNeedAdmin: MAY_NEED_ADMIN_MARKER.test(file.text),
    };
  });
}

/** The migrations not applied yet, in order. */
export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<string>): Migration[] {
  return all.filter((migration) => !applied.has(migration.version));
}
