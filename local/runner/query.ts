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
  const dataDir = workdirPaths(target.workdir).warehouse;
  if (!target.warehouseUrl && !existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new NoLocalWarehouse(
      `no local warehouse in ${dataDir}: run 'search-stats demo' or 'search-stats run' first`,
    );
  }
  // The warehouse reads COPY sources through S3; queries do not, so this client is never used.
  const unused = new S3Client({ region: 'us-east-1' });
  const warehouse = await openLocalWarehouse({
    ...(target.warehouseUrl ? { url: target.warehouseUrl } : { dataDir }),
    s3: unused,
  });
  try {
    return await fn(warehouse);
  } finally {
    await warehouse.close();
    unused.destroy();
  }
}

export function queryLocalWarehouse(target: QueryTarget, sql: string): Promise<Record<string, unknown>[]> {
  return withLocalWarehouse(target, (warehouse) => warehouse.query(sql));
}

/** `queryLocalWarehouse` with the column names, so an empty result still has its header. */
export function queryLocalTable(target: QueryTarget, sql: string): Promise<QueryResult> {
  return withLocalWarehouse(target, (warehouse) => warehouse.queryTable(sql));
}
