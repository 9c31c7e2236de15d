import type { Query } from './query';
import { questionSql, type QuestionName } from './questions';
import { RowReader } from './values';

export type TypeBucket = 'rental' | 'sale' | 'none';

export interface PeriodSummary {
  readonly numDays: number;
  readonly firstDay: string | null;
  readonly lastDay: string | null;
  readonly numValidSearches: number;
  readonly numUserDays: number;
  readonly numDistinctUsers: number;
  readonly numUniqueSearchIds: number;
  readonly avgValidSearchesPerDay: number | null;
  readonly avgUsersPerDay: number | null;
}

export interface DayTrend {
  readonly day: string;
  readonly weekday: string;
  readonly numValidSearches: number;
  readonly numUsers: number;
  readonly searchesChangePct: number | null;
  readonly usersChangePct: number | null;
  readonly searchesAvg7d: number | null;
  readonly usersAvg7d: number | null;
  readonly searchesZ: number | null;
  readonly usersZ: number | null;
  readonly isStandout: boolean;
}

export interface DayByType {
  readonly day: string;
  readonly rental: number;
  readonly sale: number;
  readonly none: number;
}

export interface WeekdayAverage {
  readonly isoWeekday: number;
  readonly weekday: string;
  readonly numDays: number;
  readonly avgValidSearches: number;
  readonly avgUsers: number;
  readonly searchesVsPeriodPct: number | null;
}

/** A search_id ranked over all its valid occurrences (04_most_engaging_searches.sql). */
export interface EngagingSearch {
  readonly rank: number;
  readonly searchId: string;
  readonly totalClicks: number;
  /** Valid occurrences: rows of valid_searches with this search_id. */
  readonly numValidSearches: number;
  readonly numUsers: number;
  readonly numDays: number;
  /** The most clicks of one of its occurrences. */
  readonly maxClicks: number;
  readonly clicksPerSearch: number;
  readonly clicksPerListing: number | null;
}

/** The highest click count of one valid search, and how many share it (04c_top_click_count.sql). */
export interface TopClickCount {
  readonly maxClicks: number | null;
  readonly numValidSearches: number;
  readonly numSearchIds: number;
  readonly numUsers: number;
}

export interface TypeEngagement {
  readonly typeBucket: string;
  readonly numValidSearches: number;
  readonly shareOfSearchesPct: number | null;
  readonly numUserDays: number;
  readonly shareOfUsersPct: number | null;
  readonly clicksPerSearch: number | null;
  readonly listingsPerSearch: number | null;
}

export interface StandoutDay {
  readonly day: string;
  readonly weekday: string;
  readonly measure: 'valid_searches' | 'users';
  readonly value: number;
  readonly periodMean: number;
  readonly zScore: number;
  readonly vsMeanPct: number | null;
  readonly direction: 'above' | 'below';
}

/** Everything the report shows, read from the question queries. */
export interface ReportData {
  readonly summary: PeriodSummary;
  readonly days: readonly DayTrend[];
  readonly daysByType: readonly DayByType[];
  readonly weekdays: readonly WeekdayAverage[];
  readonly topSearches: readonly EngagingSearch[];
  readonly topClickCount: TopClickCount;
  readonly byType: readonly TypeEngagement[];
  readonly standouts: readonly StandoutDay[];
}

/** Runs the questions the report needs, one after another, and reads their rows. */
export async function loadReportData(query: Query): Promise<ReportData> {
  const run = async (name: QuestionName): Promise<RowReader[]> =>
    (await query(questionSql(name))).map((row) => new RowReader(row, name));

  const [summaryRow] = await run('periodSummary');
  if (summaryRow === undefined) throw new Error('periodSummary returned no row');
  const summary = readSummary(summaryRow);
  const days = (await run('dailyTrends')).map(readDayTrend);
  const daysByType = (await run('searchesPerDay')).map((r) => ({
    day: r.day('day'),
    rental: r.number('num_rental_searches'),
    sale: r.number('num_sale_searches'),
    none: r.number('num_none_searches'),
  }));
  const weekdays = (await run('weekdayPattern')).map((r) => ({
    isoWeekday: r.number('iso_weekday'),
    weekday: r.text('weekday'),
    numDays: r.number('num_days'),
    avgValidSearches: r.number('avg_valid_searches'),
    avgUsers: r.number('avg_users'),
    searchesVsPeriodPct: r.numberOrNull('searches_vs_period_pct'),
  }));
  const topSearches = (await run('mostEngagingSearches')).map(readEngagingSearch);
  const [topCountRow] = await run('topClickCount');
  if (topCountRow === undefined) throw new Error('topClickCount returned no row');
  const topClickCount = {
    maxClicks: topCountRow.numberOrNull('max_clicks'),
    numValidSearches: topCountRow.number('num_valid_searches'),
    numSearchIds: topCountRow.number('num_search_ids'),
    numUsers: topCountRow.number('num_users'),
  };
  const byType = (await run('engagementByType')).map((r) => ({
    typeBucket: r.text('type_bucket'),
    numValidSearches: r.number('num_valid_searches'),
    shareOfSearchesPct: r.numberOrNull('share_of_searches_pct'),
    numUserDays: r.number('num_user_days'),
    shareOfUsersPct: r.numberOrNull('share_of_users_pct'),
    clicksPerSearch: r.numberOrNull('clicks_per_search'),
    listingsPerSearch: r.numberOrNull('listings_per_search'),
  }));
  const standouts = (await run('standoutDays')).map(readStandout);
  return { summary, days, daysByType, weekdays, topSearches, topClickCount, byType, standouts };
}

function readSummary(r: RowReader): PeriodSummary {
  return {
    numDays: r.number('num_days'),
    firstDay: r.dayOrNull('first_day'),
    lastDay: r.dayOrNull('last_day'),
    numValidSearches: r.number('num_valid_searches'),
    numUserDays: r.number('num_user_days'),
    numDistinctUsers: r.number('num_distinct_users'),
    numUniqueSearchIds: r.number('num_unique_search_ids'),
    avgValidSearchesPerDay: r.numberOrNull('avg_valid_searches_per_day'),
    avgUsersPerDay: r.numberOrNull('avg_users_per_day'),
  };
}

function readDayTrend(r: RowReader): DayTrend {
  return {
    day: r.day('day'),
    weekday: r.text('weekday'),
    numValidSearches: r.number('num_valid_searches'),
    numUsers: r.number('num_users'),
    searchesChangePct: r.numberOrNull('searches_change_pct'),
    usersChangePct: r.numberOrNull('users_change_pct'),
    searchesAvg7d: r.numberOrNull('searches_avg_7d'),
    usersAvg7d: r.numberOrNull('users_avg_7d'),
    searchesZ: r.numberOrNull('searches_z'),
    usersZ: r.numberOrNull('users_z'),
    isStandout: r.boolean('is_standout'),
  };
}

function readEngagingSearch(r: RowReader): EngagingSearch {
  return {
    rank: r.number('engagement_rank'),
    searchId: r.text('search_id'),
    totalClicks: r.number('total_clicks'),
    numValidSearches: r.number('num_valid_searches'),
    numUsers: r.number('num_users'),
    numDays: r.number('num_days'),
    maxClicks: r.number('max_clicks'),
    clicksPerSearch: r.number('clicks_per_search'),
    clicksPerListing: r.numberOrNull('clicks_per_listing'),
  };
}

function readStandout(r: RowReader): StandoutDay {
  const measure = r.text('measure');
  const direction = r.text('direction');
  return {
    day: r.day('day'),
    weekday: r.text('weekday'),
    measure: measure === 'users' ? 'users' : 'valid_searches',
    value: r.number('value'),
    periodMean: r.number('period_mean'),
    zScore: r.number('z_score'),
    vsMeanPct: r.numberOrNull('vs_mean_pct'),
    direction: direction === 'below' ? 'below' : 'above',
  };
}
