/**
 * Deterministic sample data in the contract's format: one `session_user_data<YYYYMMDD>.zip` per day, each
 * holding one CSV (`user_id,user_data`), or the plain or gzipped CSV. Rows are produced as they are
 * written, so a day of any size is generated in flat memory. Each day has its own PRNG derived from (seed, day), so a day's
 * file is the same whatever range it was generated in.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

import { daysInRange, toCompactDate, weekday } from '../../lambdas/domain/calendar';
import { createRng, deriveSeed, type Rng } from './rng';
import { OneEntryZip, zipBytes, type ZipEntry } from './zip-stream';

export const DEFAULT_SEED = 20210701;
export const DEFAULT_USERS_PER_DAY = 10_000;

export interface GenerateOptions {
  /** First day, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day (included), `YYYY-MM-DD`. */
  readonly to: string;
  /** Directory the zips are written to (created if needed). */
  readonly outDir: string;
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** Users on an average weekday; each day varies around it. @default 10,000 */
  readonly usersPerDay?: number;
  /** How each day is stored. @default 'zip' */
  readonly format?: DayFileFormat;
}

export interface GeneratedDay {
  readonly day: string;
  readonly file: string;
  readonly users: number;
  readonly searches: number;
  readonly bytes: number;
}

/** Users relative to the average, Sunday first: busier weekends, a quiet Monday. */
const WEEKLY_USERS = [1.12, 0.93, 0.97, 1.0, 1.0, 1.04, 1.16] as const;
const TYPES = ['Rental', 'Sales', ''] as const;
/**
 * Every 19th day is a campaign day with this many more users than usual, so a few weeks of data
 * have a day that stands out (2021-07-15 in the seed's history).
 */
const CAMPAIGN_EVERY_DAYS = 19;
const CAMPAIGN_OFFSET = 13;
const CAMPAIGN_USERS = 1.35;
/** Search ids come from a limited pool (with a popular head), so they repeat across users and days. */
const POPULAR_SEARCH_IDS = 500;
const ALL_SEARCH_IDS = 20_000;

const SEARCH_START = '--\\\\n-:';
const FIELD_SEP = '\\\\n:';
const SEARCH_END = '\\n';

/** The file name a day's input has upstream. */
export function dayFileName(day: string, format: DayFileFormat = 'zip'): string {
  return `session_user_data${toCompactDate(day)}.${format}`;
}

function renderSearch(rng: Rng, createdAt: string, rentalWeight: number): string {
  const searchId = rng.chance(0.3) ? rng.int(1, POPULAR_SEARCH_IDS) : rng.int(1, ALL_SEARCH_IDS);
  const fields = [
    `search_id:${searchId}`,
    `enabled:${rng.chance(0.5) ? 'True' : 'False'}`,
    `clicks:${rng.int(1, 9)}`,
    `created_at:${createdAt}`,
    `listings:${rng.int(1, 30)}`,
    `type:${rng.pick(TYPES, [rentalWeight, 0.35, 0.65 - rentalWeight])}`,
  ];
  return SEARCH_START + fields.join(FIELD_SEP) + SEARCH_END;
}

/** What a day's file holds. */
export interface DayCounts {
  users: number;
  searches: number;
}

/** Rows are handed out in pieces of about this many characters (the CSV is ASCII: bytes). */
const PIECE_CHARS = 256 * 1024;

/**
 * One day's CSV (header + one line per user, LF line ends) in pieces of about PIECE_CHARS
 * characters, produced as they are asked for: memory stays flat whatever the day's size.
 * `counts` is filled in as rows are produced.
 */
export function* dayCsvPieces(
  day: string,
  seed = DEFAULT_SEED,
  usersPerDay = DEFAULT_USERS_PER_DAY,
  counts: DayCounts = { users: 0, searches: 0 },
): Generator<string, void, undefined> {
  const rng = createRng(deriveSeed(seed, day));
  const dow = weekday(day);
  const noise = 1 + rng.int(-40, 40) / 1000;
  const epochDay = Date.parse(`${day}T00:00:00Z`) / 86_400_000;
  const campaign = epochDay % CAMPAIGN_EVERY_DAYS === CAMPAIGN_OFFSET ? CAMPAIGN_USERS : 1;
  const users = Math.max(1, Math.round(usersPerDay * (WEEKLY_USERS[dow] ?? 1) * noise * campaign));
  const rentalWeight = dow === 0 || dow === 6 ? 0.55 : 0.47;
  const createdAt = toCompactDate(day);
  let piece = 'user_id,user_data\n';
  let userId = rng.int(1000, 2000);
  for (let u = 0; u < users; u++) {
    userId += rng.int(1, 3);
    const searches = rng.chance(0.1) ? 10 : 1;
    let userData = '';
    for (let s = 0; s < searches; s++) userData += renderSearch(rng, createdAt, rentalWeight);
    piece += `${userId},${userData}\n`;
    counts.users++;
    counts.searches += searches;
    if (piece.length >= PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  yield piece;
}

/** One day's CSV text, in memory (small days: tests); the same text the day files hold. */
export function generateDayCsv(
  day: string,
  seed = DEFAULT_SEED,
  usersPerDay = DEFAULT_USERS_PER_DAY,
): string {
  return [...dayCsvPieces(day, seed, usersPerDay)].join('');
}

const csvEntry = (day: string): ZipEntry => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { name: `session_user_data${toCompactDate(day)}.csv`, mtime: new Date(y, m - 1, d), level: 6 };
};

/** A zip holding exactly one CSV entry, byte-for-byte reproducible (fixed entry time). */
export function zipDayCsv(day: string, csv: string): Uint8Array {
  return zipBytes(csvEntry(day), new TextEncoder().encode(csv));
}

/** How a day file is stored: the formats the pipeline reads (contract §1). */
export type DayFileFormat = 'zip' | 'csv' | 'csv.gz';
export const DAY_FILE_FORMATS: readonly DayFileFormat[] = ['zip', 'csv', 'csv.gz'];

function* encoded(pieces: Iterable<string>): Generator<Uint8Array> {
  for (const piece of pieces) yield Buffer.from(piece, 'latin1');
}

function* zipped(day: string, bytes: Iterable<Uint8Array>): Generator<Uint8Array> {
  const zip = new OneEntryZip(csvEntry(day));
  for (const chunk of bytes) yield* zip.push(chunk);
  yield* zip.end();
}

/**
 * Streams one generated day to `file` (through a temporary name, so an interrupted run leaves no
 * half file): rows, then zip or gzip, then the file, with back-pressure all the way.
 * A zip holds the same bytes as `zipDayCsv(day, generateDayCsv(...))`.
 */
export async function writeDayFile(
  file: string,
  day: string,
  format: DayFileFormat = 'zip',
  seed = DEFAULT_SEED,
  usersPerDay = DEFAULT_USERS_PER_DAY,
): Promise<DayCounts & { readonly bytes: number }> {
  const counts: DayCounts = { users: 0, searches: 0 };
  const csv = encoded(dayCsvPieces(day, seed, usersPerDay, counts));
  const partial = `${file}.part`;
  const out = createWriteStream(partial);
  if (format === 'zip') await pipeline(Readable.from(zipped(day, csv)), out);
  else if (format === 'csv.gz') await pipeline(Readable.from(csv), createGzip({ level: 6 }), out);
  else await pipeline(Readable.from(csv), out);
  await rename(partial, file);
  return { ...counts, bytes: (await stat(file)).size };
}

/** Writes one zip per day in [from, to] to `outDir`. */
export async function generateRange(options: GenerateOptions): Promise<GeneratedDay[]> {
  const seed = options.seed ?? DEFAULT_SEED;
  const usersPerDay = options.usersPerDay ?? DEFAULT_USERS_PER_DAY;
  const format = options.format ?? 'zip';
  await mkdir(options.outDir, { recursive: true });
  const generated: GeneratedDay[] = [];
  for (const day of daysInRange(options.from, options.to)) {
    const file = path.join(options.outDir, dayFileName(day, format));
    const { users, searches, bytes } = await writeDayFile(file, day, format, seed, usersPerDay);
    generated.push({ day, file, users, searches, bytes });
  }
  return generated;
}
