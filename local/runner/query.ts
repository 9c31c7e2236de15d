/**
 * Ad-hoc SQL on the local warehouse (the PGlite directory under the work directory, or a PostgreSQL
 * URL), without starting the embedded S3: queries never COPY.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

import { openLocalWarehouse, type LocalWarehouse } from './pg-warehouse';
import type { QueryResult } from './pg-driver';
import { workdirPaths } from './workdir';
import { lockWorkdir } from './workdir-lock';

export class NoLocalWarehouse extends Error {
  override name = 'NoLocalWarehouse';
}

export interface QueryTarget {
  readonly workdir?: string;
  readonly warehouseUrl?: string;
}

/** Opens the local warehouse (without S3), runs `fn`, closes it. */
export async function withLocalWarehouse<T>(
  target: QueryTarget,
  fn: (warehouse: LocalWarehouse) => Promise<T>,
): Promise<T> {
  const paths = workdirPaths(target.workdir);
  const dataDir = paths.warehouse;
  const noWarehouse = (): NoLocalWarehouse =>
    new NoLocalWarehouse(
      `no local warehouse in ${dataDir}: run 'search-stats demo' or 'search-stats run' first`,
    );
  if (!target.warehouseUrl && !existsSync(paths.root)) throw noWarehouse();
  // PGlite is single-process: even a query holds the work directory (a run may be creating it).
  const lock = target.warehouseUrl ? undefined : await lockWorkdir(paths.root);
  if (lock && !existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await lock.release();
    throw noWarehouse();
  }
  // The warehouse reads COPY sources through S3; queries do not, so this client is never used.
  const unused = new S3Client({ region: 'us-east-1' });
  try {
    const warehouse = await openLocalWarehouse({
      ...(target.warehouseUrl ? { url: target.warehouseUrl } : { dataDir }),
      s3: unused,
    });
    try {
      return await fn(warehouse);
    } finally {
      await warehouse.close();
    }
  } finally {
    unused.destroy();
    await lock?.release();
  }
}

/** The rows of `sql` with the column names, so an empty result still has its header. */
export function queryLocalTable(target: QueryTarget, sql: string): Promise<QueryResult> {
  return withLocalWarehouse(target, (warehouse) => warehouse.queryTable(sql));
}
