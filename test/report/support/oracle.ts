/**
 * The answers to the questions computed in plain TypeScript from the fixture rows, without SQL, so the
 * query tests compare two independent computations. Keys are the queries' column names.
 */
import type { DayStats, TypeBucket, ValidSearch } from './period-fixture';

type Row = Record<string, unknown>;

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** ROUND(CAST(x AS DECIMAL(18,6)), dp) as PostgreSQL and Redshift do it: half away from zero. */
export function sqlRound(x: number | null, dp: number): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const halfAway = (v: number, d: number): number => {
    const f = 10 ** d;
    return (Math.sign(v) * Math.round(Math.abs(v) * f + 1e-7)) / f + 0;
  };
  return halfAway(halfAway(x, 6), dp);
}

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

const sampleSd = (xs: readonly number[]): number | null => {
  const m = mean(xs);
  if (m === null || xs.length < 2) return null;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function dayOfWeek(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export function addDays(day: string, n: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + n);
  return at.toISOString().slice(0, 10);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const byDay = (stats: readonly DayStats[]): DayStats[] =>
  [...stats].sort((a, b) => a.day.localeCompare(b.day));

export function periodSummary(stats: readonly DayStats[], searches: readonly ValidSearch[]): Row {
  const days = byDay(stats);
  const total = days.reduce((a, s) => a + s.numSearches, 0);
  const userDays = days.reduce((a, s) => a + s.numUsers, 0);
  return {
    num_days: days.length,
    first_day: days[0]?.day ?? null,
    last_day: days[days.length - 1]?.day ?? null,
    num_valid_searches: total,
    num_user_days: userDays,
    num_distinct_users: new Set(searches.map((s) => s.userId)).size,
    num_unique_search_ids: new Set(searches.map((s) => s.searchId)).size,
    avg_valid_searches_per_day: sqlRound(ratio(total, days.length), 2),
    avg_users_per_day: sqlRound(ratio(userDays, days.length), 2),
  };
}

export function uniqueSearches(searches: readonly ValidSearch[]): Row[] {
  return [...groupBy(searches, (s) => String(s.searchId)).values()]
    .map((rows) => {
      const days = rows.map((r) => r.day).sort();
      return {
        search_id: rows[0]?.searchId,
        num_valid_searches: rows.length,
        num_users: new Set(rows.map((r) => r.userId)).size,
        num_days: new Set(days).size,
        first_day: days[0],
        last_day: days[days.length - 1],
        total_clicks: rows.reduce((a, r) => a + r.clicks, 0),
      };
    })
    .sort((a, b) => Number(a.search_id) - Number(b.search_id));
}

export function uniqueSearchesPerDay(searches: readonly ValidSearch[]): Row[] {
  return [...groupBy(searches, (s) => `${s.day}|${s.searchId}`).values()]
    .map((rows) => ({
      day: rows[0]?.day,
      search_id: rows[0]?.searchId,
      num_valid_searches: rows.length,
      num_users: new Set(rows.map((r) => r.userId)).size,
      total_clicks: rows.reduce((a, r) => a + r.clicks, 0),
    }))
    .sort((a, b) => String(a.day).localeCompare(String(b.day)) || Number(a.search_id) - Number(b.search_id));
}

export function searchesPerDay(stats: readonly DayStats[], searches: readonly ValidSearch[]): Row[] {
  return byDay(stats).map((s) => ({
    day: s.day,
    num_valid_searches: s.numSearches,
    num_rental_searches: s.numRental,
    num_sale_searches: s.numSale,
    num_none_searches: s.numNone,
    num_unique_search_ids: new Set(searches.filter((v) => v.day === s.day).map((v) => v.searchId)).size,
  }));
}

export function usersPerDay(stats: readonly DayStats[]): Row[] {
  return byDay(stats).map((s) => ({
    day: s.day,
    num_users: s.numUsers,
    valid_searches_per_user: sqlRound(ratio(s.numSearches, s.numUsers), 2),
  }));
}

/**
 * The most engaging searches: search ids ranked by their clicks summed over every valid occurrence,
 * then by distinct users (more first), then by the lower id.
 */
export function mostEngagingSearches(searches: readonly ValidSearch[]): Row[] {
  return [...groupBy(searches, (s) => String(s.searchId)).values()]
    .map((rows) => {
      const clicks = rows.reduce((a, r) => a + r.clicks, 0);
      const listings = rows.reduce((a, r) => a + r.listings, 0);
      return {
        search_id: rows[0]?.searchId ?? 0,
        total_clicks: clicks,
        num_valid_searches: rows.length,
        num_users: new Set(rows.map((r) => r.userId)).size,
        num_days: new Set(rows.map((r) => r.day)).size,
        max_clicks: Math.max(...rows.map((r) => r.clicks)),
        clicks_per_search: sqlRound(ratio(clicks, rows.length), 2),
        clicks_per_listing: sqlRound(ratio(clicks, listings), 2),
      };
    })
    .sort((a, b) => b.total_clicks - a.total_clicks || b.num_users - a.num_users || a.search_id - b.search_id)
    .slice(0, 10)
    .map((row, i) => ({ engagement_rank: i + 1, ...row }));
}

/** The top click count of one valid search and how many valid searches, ids and users share it. */
export function topClickCount(searches: readonly ValidSearch[]): Row {
  const max = searches.length === 0 ? null : Math.max(...searches.map((s) => s.clicks));
  const top = searches.filter((s) => s.clicks === max);
  return {
    max_clicks: max,
    num_valid_searches: top.length,
    num_search_ids: new Set(top.map((s) => s.searchId)).size,
    num_users: new Set(top.map((s) => s.userId)).size,
  };
}

export function engagementByType(searches: readonly ValidSearch[]): Row[] {
  const userDays = (rows: readonly ValidSearch[]): number =>
    new Set(rows.map((r) => `${r.day}|${r.userId}`)).size;
  const allUserDays = userDays(searches);
  return (['rental', 'sale', 'none'] as TypeBucket[]).map((bucket) => {
    const rows = searches.filter((s) => s.typeBucket === bucket);
    const clicks = rows.reduce((a, r) => a + r.clicks, 0);
    const listings = rows.reduce((a, r) => a + r.listings, 0);
    return {
      type_bucket: bucket,
      num_valid_searches: rows.length,
      share_of_searches_pct: sqlRound(ratio(100 * rows.length, searches.length), 1),
      num_user_days: userDays(rows),
      share_of_users_pct: sqlRound(ratio(100 * userDays(rows), allUserDays), 1),
      clicks_per_search: sqlRound(ratio(clicks, rows.length), 4),
      listings_per_search: sqlRound(ratio(listings, rows.length), 2),
    };
  });
}

const z = (value: number, xs: readonly number[]): number | null => {
  const m = mean(xs);
  const sd = sampleSd(xs);
  return m === null || sd === null || sd === 0 ? null : (value - m) / sd;
};

export function dailyTrends(stats: readonly DayStats[]): Row[] {
  const days = byDay(stats);
  const searches = days.map((d) => d.numSearches);
  const users = days.map((d) => d.numUsers);
  const loaded = new Map(days.map((d) => [d.day, d]));
  return days.map((d) => {
    const yesterday = loaded.get(addDays(d.day, -1));
    const week = [0, 1, 2, 3, 4, 5, 6].map((n) => loaded.get(addDays(d.day, -n)));
    const fullWeek = week.every((w) => w !== undefined) ? (week as DayStats[]) : null;
    const change = (now: number, before: number | undefined): number | null =>
      before === undefined ? null : now - before;
    const changePct = (now: number, before: number | undefined): number | null =>
      before === undefined ? null : sqlRound(ratio(100 * (now - before), before), 1);
    const zs = z(d.numSearches, searches);
    const zu = z(d.numUsers, users);
    return {
      day: d.day,
      weekday: WEEKDAY_NAMES[dayOfWeek(d.day)],
      num_valid_searches: d.numSearches,
      num_users: d.numUsers,
      searches_change: change(d.numSearches, yesterday?.numSearches),
      searches_change_pct: changePct(d.numSearches, yesterday?.numSearches),
      users_change: change(d.numUsers, yesterday?.numUsers),
      users_change_pct: changePct(d.numUsers, yesterday?.numUsers),
      searches_avg_7d: fullWeek === null ? null : sqlRound(mean(fullWeek.map((w) => w.numSearches)), 2),
      users_avg_7d: fullWeek === null ? null : sqlRound(mean(fullWeek.map((w) => w.numUsers)), 2),
      searches_z: sqlRound(zs, 2),
      users_z: sqlRound(zu, 2),
      is_standout: (zs !== null && Math.abs(zs) >= 2) || (zu !== null && Math.abs(zu) >= 2),
    };
  });
}

export function weekdayPattern(stats: readonly DayStats[]): Row[] {
  const all = byDay(stats);
  const meanSearches = mean(all.map((d) => d.numSearches)) ?? 0;
  const meanUsers = mean(all.map((d) => d.numUsers)) ?? 0;
  return [...groupBy(all, (d) => String(dayOfWeek(d.day))).entries()]
    .map(([dow, days]) => {
      const avgSearches = mean(days.map((d) => d.numSearches)) ?? 0;
      const avgUsers = mean(days.map((d) => d.numUsers)) ?? 0;
      return {
        iso_weekday: Number(dow) === 0 ? 7 : Number(dow),
        weekday: WEEKDAY_NAMES[Number(dow)],
        num_days: days.length,
        avg_valid_searches: sqlRound(avgSearches, 2),
        avg_users: sqlRound(avgUsers, 2),
        searches_vs_period_pct: sqlRound(ratio(100 * (avgSearches - meanSearches), meanSearches), 1),
        users_vs_period_pct: sqlRound(ratio(100 * (avgUsers - meanUsers), meanUsers), 1),
      };
    })
    .sort((a, b) => a.iso_weekday - b.iso_weekday);
}

export function standoutDays(stats: readonly DayStats[]): Row[] {
  const days = byDay(stats);
  const measures = [
    { measure: 'valid_searches', of: (d: DayStats) => d.numSearches },
    { measure: 'users', of: (d: DayStats) => d.numUsers },
  ];
  const scored = measures.flatMap(({ measure, of }) => {
    const xs = days.map(of);
    const m = mean(xs) ?? 0;
    return days.map((d) => ({ d, measure, value: of(d), m, zScore: z(of(d), xs) }));
  });
  return scored
    .filter((s): s is typeof s & { zScore: number } => s.zScore !== null && Math.abs(s.zScore) >= 2)
    .sort(
      (a, b) =>
        Math.abs(b.zScore) - Math.abs(a.zScore) ||
        a.d.day.localeCompare(b.d.day) ||
        a.measure.localeCompare(b.measure),
    )
    .map((s) => ({
      day: s.d.day,
      weekday: WEEKDAY_NAMES[dayOfWeek(s.d.day)],
      measure: s.measure,
      value: s.value,
      period_mean: sqlRound(s.m, 2),
      z_score: sqlRound(s.zScore, 2),
      vs_mean_pct: sqlRound(ratio(100 * (s.value - s.m), s.m), 1),
      direction: s.zScore > 0 ? 'above' : 'below',
    }));
}
