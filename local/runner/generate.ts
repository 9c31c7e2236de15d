/**
 * Deterministic sample data in the SPEC's format: one `session_user_data<YYYYMMDD>.zip` per day, each
 * holding one CSV (`user_id,user_data`). Each day has its own PRNG derived from (seed, day), so a day's
 * file is the same whatever range it was generated in.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';

import { daysInRange, toCompactDate, weekday } from '../../lambdas/domain/calendar';
import { createRng, deriveSeed, type Rng } from './rng';

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
export function dayFileName(day: string): string {
  return `session_user_data${toCompactDate(day)}.zip`;
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

/** One day's CSV text (header + one line per user, LF line ends). */
export function generateDayCsv(
  day: string,
  seed = DEFAULT_SEED,
  usersPerDay = DEFAULT_USERS_PER_DAY,
): string {
  const rng = createRng(deriveSeed(seed, day));
  const dow = weekday(day);
  const noise = 1 + rng.int(-40, 40) / 1000;
  const epochDay = Date.parse(`${day}T00:00:00Z`) / 86_400_000;
  const campaign = epochDay % CAMPAIGN_EVERY_DAYS === CAMPAIGN_OFFSET ? CAMPAIGN_USERS : 1;
  const users = Math.max(1, Math.round(usersPerDay * (WEEKLY_USERS[dow] ?? 1) * noise * campaign));
  const rentalWeight = dow === 0 || dow === 6 ? 0.55 : 0.47;
  const createdAt = toCompactDate(day);
  const lines = ['user_id,user_data'];
  let userId = rng.int(1000, 2000);
  for (let u = 0; u < users; u++) {
    userId += rng.int(1, 3);
    const searches = rng.chance(0.1) ? 10 : 1;
    let userData = '';
    for (let s = 0; s < searches; s++) userData += renderSearch(rng, createdAt, rentalWeight);
    lines.push(`${userId},${userData}`);
  }
  return lines.join('\n') + '\n';
}

/** A zip holding exactly one CSV entry, byte-for-byte reproducible (fixed entry time). */
export function zipDayCsv(day: string, csv: string): Uint8Array {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const entry = `session_user_data${toCompactDate(day)}.csv`;
  return zipSync(
    { [entry]: [new TextEncoder().encode(csv), { mtime: new Date(y, m - 1, d) }] },
    { level: 6 },
  );
}

/** Writes one zip per day in [from, to] to `outDir`. */
export async function generateRange(options: GenerateOptions): Promise<GeneratedDay[]> {
  const seed = options.seed ?? DEFAULT_SEED;
  const usersPerDay = options.usersPerDay ?? DEFAULT_USERS_PER_DAY;
  await mkdir(options.outDir, { recursive: true });
  const generated: GeneratedDay[] = [];
  for (const day of daysInRange(options.from, options.to)) {
    const csv = generateDayCsv(day, seed, usersPerDay);
    const zip = zipDayCsv(day, csv);
    const file = path.join(options.outDir, dayFileName(day));
    await writeFile(file, zip);
    const users = csv.split('\n').length - 2;
    const searches = csv.split(SEARCH_START).length - 1;
    generated.push({ day, file, users, searches, bytes: zip.byteLength });
  }
  return generated;
}
