import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SEED, DEFAULT_USERS_PER_DAY, dayFileName } from '../runner/generate';
import { runMeasuredCli } from './measured-cli';

export type DayFormat = 'csv' | 'zip';

/** A Wednesday, whose users are the generator's average (no weekend factor). */
export const BENCH_DAY = '2021-07-07';

/** How long generating a day file took and the generator process's peak RSS. */
export interface Generation {
  readonly wallMs: number;
  readonly peakRssMb: number;
}

export interface DayFile {
  readonly scale: number;
  readonly format: DayFormat;
  readonly file: string;
  /** Size on disk. */
  readonly bytes: number;
  /** Size of the CSV inside (what the throughput figures are measured against). */
  readonly csvBytes: number;
  /** Set when this run generated the file (a file kept from an earlier run was not measured). */
  readonly generation?: Generation;
}

const exists = async (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

const fileName = (scale: number, format: DayFormat): string =>
  `day-${BENCH_DAY}-x${scale}-seed${DEFAULT_SEED}.${format}`;

/**
 * The day file of `scale` times today's users in `format`, kept in `dir`, generated when missing by
 * the CLI's `generate` (the streaming generator, local/runner/generate.ts) in a measured process,
 * through a temporary directory: an interrupted run leaves no half file to reuse.
 */
export async function dayFile(
  dir: string,
  scale: number,
  format: DayFormat,
): Promise<{ file: string; bytes: number; generation?: Generation }> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, fileName(scale, format));
  let generation: Generation | undefined;
  if (!(await exists(file))) {
    const out = await mkdtemp(path.join(dir, 'generating-'));
    try {
      const users = String(DEFAULT_USERS_PER_DAY * scale);
      const measured = await runMeasuredCli(
        [
          'generate',
          '--out',
          out,
          '--from',
          BENCH_DAY,
          '--to',
          BENCH_DAY,
          '--users',
          users,
          '--format',
          format,
        ],
        `generate ${scale}x ${format}`,
      );
      generation = { wallMs: measured.wallMs, peakRssMb: measured.peakRssMb };
      await rename(path.join(out, dayFileName(BENCH_DAY, format)), file);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }
  return { file, bytes: (await stat(file)).size, ...(generation ? { generation } : {}) };
}

/** The day files of `scale` times today's users, in both formats (dayFile). */
export async function dayFiles(dir: string, scale: number): Promise<Record<DayFormat, DayFile>> {
  const zip = await dayFile(dir, scale, 'zip');
  const csv = await dayFile(dir, scale, 'csv');
  const day = (format: DayFormat, made: Awaited<ReturnType<typeof dayFile>>): DayFile => ({
    scale,
    format,
    csvBytes: csv.bytes,
    ...made,
  });
  return { csv: day('csv', csv), zip: day('zip', zip) };
}
