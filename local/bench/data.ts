import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SEED, DEFAULT_USERS_PER_DAY, writeDayFile } from '../runner/generate';

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
 * generator (local/runner/generate.ts) and kept in `dir`: a 100x day takes about a minute to make.
 */
export async function dayFiles(dir: string, scale: number): Promise<Record<DayFormat, DayFile>> {
  await mkdir(dir, { recursive: true });
  const csvFile = path.join(dir, fileName(scale, 'csv'));
  const zipFile = path.join(dir, fileName(scale, 'zip'));
  if (!(await exists(csvFile)) || !(await exists(zipFile))) {
    // Streamed (flat memory at any scale), each through a temporary name: an interrupted run leaves
    // no half file to reuse.
    const users = DEFAULT_USERS_PER_DAY * scale;
    await writeDayFile(zipFile, BENCH_DAY, 'zip', DEFAULT_SEED, users);
    await writeDayFile(csvFile, BENCH_DAY, 'csv', DEFAULT_SEED, users);
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
