/**
 * Reads the statements in `sql/<folder>/` at run time, in file-name order. The files are the one
 * source of truth: tests, the local runner and the Lambdas read the same text.
 *
 * Where `sql/` is: next to the code (`<bundle>/sql`, where the CDK's bundling copies it) or at the
 * repository root (`../../sql` from this file, for tests and `tsx`). Callers may pass other roots.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidRequest } from './errors';

export interface SqlFile {
  /** Path below `sql/`, e.g. `load/040_copy_valid_searches.sql`: names the statement in errors. */
  readonly name: string;
  /** The file's text as written (comments and dialect comments included). */
  readonly text: string;
}

/** The directories searched for `sql/<folder>`, first match wins. */
export function defaultSqlRoots(): string[] {
  return [join(__dirname, 'sql'), resolve(__dirname, '..', '..', 'sql')];
}

const cache = new Map<string, readonly SqlFile[]>();

/** The `.sql` files of `sql/<folder>/`, sorted by name. Throws if the folder is missing or empty. */
export function readSqlFolder(
  folder: string,
  roots: readonly string[] = defaultSqlRoots(),
): readonly SqlFile[] {
  const dir = roots.map((root) => join(root, folder)).find((candidate) => existsSync(candidate));
  if (dir === undefined) {
    throw new InvalidRequest(`SQL folder ${folder}/ not found; looked in ${roots.join(', ')}`);
  }
  const cached = cache.get(dir);
  if (cached) return cached;
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ name: `${folder}/${file}`, text: readFileSync(join(dir, file), 'utf8') }));
  if (files.length === 0) throw new InvalidRequest(`SQL folder ${dir} has no .sql files`);
  cache.set(dir, files);
  return files;
}
