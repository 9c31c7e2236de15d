/** Known input for the question tests: valid searches as the Load step leaves them, built by hand. */

export type TypeBucket = 'rental' | 'sale' | 'none';

export interface ValidSearch {
  readonly day: string;
  readonly userId: string;
  readonly searchSeq: number;
  readonly searchId: number;
  readonly clicks: number;
  readonly listings: number;
  readonly type: string;
  readonly typeBucket: TypeBucket;
}

export interface DayStats {
  readonly day: string;
  readonly numUsers: number;
  readonly numSearches: number;
  readonly numRental: number;
  readonly numSale: number;
  readonly numNone: number;
}

const TYPES: readonly [string, TypeBucket][] = [
  ['Rental', 'rental'],
  ['Sales', 'sale'],
  ['', 'none'],
  ['Rental', 'rental'],
  ['Sales', 'sale'],
];

/**
 * Valid searches per user on each day (user-1, user-2, ... reappear across days). 2021-07-07 is the
 * stand-out day (30 searches by 15 users); 2021-07-11 is not loaded (a gap); 2021-07-12 is loaded with
 * no valid search at all.
 */
const PLAN: Readonly<Record<string, readonly number[]>> = {
  '2021-07-01': [1, 1, 2, 1],
  '2021-07-02': [1, 2, 1, 1, 1],
  '2021-07-03': [1, 1, 1, 1],
  '2021-07-04': [2, 1, 1],
  '2021-07-05': [1, 1, 1, 1, 2],
  '2021-07-06': [1, 1, 1, 1, 1, 1],
  '2021-07-07': [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
  '2021-07-08': [1, 2, 1, 1],
  '2021-07-09': [1, 1, 1, 1, 1, 1, 1],
  '2021-07-10': [2, 2, 1],
  '2021-07-12': [],
};

/**
 * Searches placed by hand at the top click count: six valid searches share 50 clicks (tie-f has 49;
 * generated searches have at most 13), four of them search id 3 (three users, two days), so the
 * top click count is shared and search 3 leads on clicks over all its occurrences.
 */
const ENGAGING: readonly ValidSearch[] = [
  {
    day: '2021-07-02',
    userId: 'tie-b',
    searchSeq: 1,
    searchId: 5,
    clicks: 50,
    listings: 9,
    type: 'Sales',
    typeBucket: 'sale',
  },
  {
    day: '2021-07-03',
    userId: 'tie-a',
    searchSeq: 1,
    searchId: 7,
    clicks: 50,
    listings: 4,
    type: 'Rental',
    typeBucket: 'rental',
  },
  {
    day: '2021-07-04',
    userId: 'tie-c',
    searchSeq: 1,
    searchId: 3,
    clicks: 50,
    listings: 9,
    type: '',
    typeBucket: 'none',
  },
  {
    day: '2021-07-01',
    userId: 'tie-e',
    searchSeq: 2,
    searchId: 3,
    clicks: 50,
    listings: 9,
    type: 'Rental',
    typeBucket: 'rental',
  },
  {
    day: '2021-07-01',
    userId: 'tie-e',
    searchSeq: 1,
    searchId: 3,
    clicks: 50,
    listings: 9,
    type: 'Rental',
    typeBucket: 'rental',
  },
  {
    day: '2021-07-01',
    userId: 'tie-d',
    searchSeq: 1,
    searchId: 3,
    clicks: 50,
    listings: 9,
    type: 'Sales',
    typeBucket: 'sale',
  },
  {
    day: '2021-07-06',
    userId: 'tie-f',
    searchSeq: 1,
    searchId: 11,
    clicks: 49,
    listings: 2,
    type: 'Rental',
    typeBucket: 'rental',
  },
];

export const LOADED_DAYS = Object.keys(PLAN).sort();

function generated(): ValidSearch[] {
  const rows: ValidSearch[] = [];
  let k = 0;
  for (const day of LOADED_DAYS) {
    (PLAN[day] ?? []).forEach((count, j) => {
      for (let seq = 1; seq <= count; seq += 1, k += 1) {
        const [type, typeBucket] = TYPES[k % TYPES.length] ?? ['', 'none'];
        rows.push({
          day,
          userId: `user-${j + 1}`,
          searchSeq: seq,
          searchId: 1000 + (k % 9),
          clicks: 3 + ((k * 5) % 11),
          listings: (k * 7) % 13,
          type,
          typeBucket,
        });
      }
    });
  }
  return rows;
}

export const SEARCHES: readonly ValidSearch[] = [...generated(), ...ENGAGING];

/** search_stats as the pipeline computes it from the same searches (a loaded day with none counts 0). */
export function statsFor(days: readonly string[], searches: readonly ValidSearch[]): DayStats[] {
  return days.map((day) => {
    const rows = searches.filter((s) => s.day === day);
    const count = (bucket: TypeBucket): number => rows.filter((s) => s.typeBucket === bucket).length;
    return {
      day,
      numUsers: new Set(rows.map((s) => s.userId)).size,
      numSearches: rows.length,
      numRental: count('rental'),
      numSale: count('sale'),
      numNone: count('none'),
    };
  });
}

export const STATS: readonly DayStats[] = statsFor(LOADED_DAYS, SEARCHES);
