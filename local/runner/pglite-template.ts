/**
 * A new PGlite data directory is made by initdb, which costs seconds of CPU and several hundred MB
 * of WASM memory, and gives the same cluster every time for one PGlite version. So it is made once,
 * kept in the local cache (`node_modules/.cache/search-stats/pglite-<version>/`, closed cleanly),
 * and copied into each new (missing or empty) warehouse directory. Copying the files of a cleanly
 * shut-down cluster is PostgreSQL's "file system level backup", valid when the server is stopped:
 * https://www.postgresql.org/docs/current/backup-file.html
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** The installed PGlite's version (its package.json is not in its exports, so read beside its entry). */
function pgliteVersion(): string {
  const entry = require.resolve('@electric-sql/pglite');
  const manifest = path.join(path.dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries.length === 0;
}

/**
 * The cached fresh cluster for this PGlite version, made with `initdb` (which must create a PGlite
 * in the directory given and close it) when missing. Made in a temporary directory and renamed, so a
 * concurrent process never copies half a cluster; when two make it at once, the first rename wins.
 */
export async function pgliteTemplate(
  cacheDir: string,
  initdb: (dataDir: string) => Promise<void>,
): Promise<string> {
  const template = path.join(cacheDir, `pglite-${pgliteVersion()}`);
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  const temp = `${template}.${process.pid}.tmp`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  try {
    await initdb(temp);
    await rename(temp, template).catch(async (error: unknown) => {
      if (!existsSync(path.join(template, 'PG_VERSION'))) throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return template;
}

/**
 * Fills `dataDir` with a copy of the cached fresh cluster when it is missing or empty; a directory
 * with anything in it is left as it is (PGlite then opens it, or reports it damaged).
 */
export async function seedFromTemplate(
  dataDir: string,
  cacheDir: string,
  initdb: (dataDir: string) => Promise<void>,
): Promise<boolean> {
  if (!(await isEmptyOrMissing(dataDir))) return false;
  const template = await pgliteTemplate(cacheDir, initdb);
  await cp(template, dataDir, { recursive: true });
  return true;
}
