import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SEED, DEFAULT_USERS_PER_DAY, generateDayCsv, zipDayCsv } from '../runner/generate';

export type DayFormat = 'csv' | 'zip';

/** A Wednesday, whose users are the generator's average (no weekend factor). */
export const BENCH_DAY = '2021-07-07';

export interface DayFile {
  readonly scale: number;
  readonly format: DayFormat;
  readonly file: string;
  /** Size on disk. */
  readonly bytes: number;
  /** Size of the CSV inside (what the throughput figures are measured against). */
  readonly csvBytes: number;
}

const exists = async (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

const fileName = (scale: number, format: DayFormat): string =>
  `day-${BENCH_DAY}-x${scale}-seed${DEFAULT_SEED}.${format}`;

/**
 * The day files of `scale` times today's users, in both formats, generated with the local runner's
 * generator (local/runner/generate.ts) and kept in `dir`: a 100x day takes tens of seconds to make.
 */
export async function dayFiles(dir: string, scale: number): Promise<Record<DayFormat, DayFile>> {
  await mkdir(dir, { recursive: true });
  const csvFile = path.join(dir, fileName(scale, 'csv'));
  const zipFile = path.join(dir, fileName(scale, 'zip'));
  if (!(await exists(csvFile)) || !(await exists(zipFile))) {
    const csv = generateDayCsv(BENCH_DAY, DEFAULT_SEED, DEFAULT_USERS_PER_DAY * scale);
    // Written under a temporary name first: an interrupted run leaves no half file to reuse.
    await writeFile(`${zipFile}.part`, zipDayCsv(BENCH_DAY, csv));
    await writeFile(`${csvFile}.part`, csv);
    await rename(`${zipFile}.part`, zipFile);
    await rename(`${csvFile}.part`, csvFile);
  }
  const csvBytes = (await stat(csvFile)).size;
  const day = (format: DayFormat, file: string, bytes: number): DayFile => ({
    scale,
    format,
    file,
    bytes,
    csvBytes,
  });
  return { csv: day('csv', csvFile, csvBytes), zip: day('zip', zipFile, (await stat(zipFile)).size) };
}
