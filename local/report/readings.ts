import { STANDOUT_Z } from './charts';
import {
  formatAverage,
  formatCount,
  formatDay,
  formatFixed,
  formatPct,
  formatRatio,
  formatSignedPct,
  plural,
  separatingDecimals,
  typeLabel,
} from './format';
import type {
  DayByType,
  DayTrend,
  EngagingSearch,
  PeriodSummary,
  StandoutDay,
  TopClickCount,
  TypeEngagement,
  WeekdayAverage,
} from './report-data';

/** One plain-English line per chart, computed from the same rows the chart draws. */

function extreme<T>(items: readonly T[], value: (item: T) => number, pick: 'max' | 'min'): T | undefined {
  // First of equals wins, so the reading names the earliest day on a tie.
  return items.reduce<T | undefined>((best, item) => {
    if (best === undefined) return item;
    const better = pick === 'max' ? value(item) > value(best) : value(item) < value(best);
    return better ? item : best;
  }, undefined);
}

function vsAverage(value: number, average: number | null): string {
  if (average === null || average === 0) return '';
  return ` (${formatSignedPct((100 * (value - average)) / average)} vs the average)`;
}

export function busiestDay(days: readonly DayTrend[]): DayTrend | undefined {
  return extreme(days, (d) => d.numValidSearches, 'max');
}

export function searchesReading(days: readonly DayTrend[], summary: PeriodSummary): string {
  const busiest = busiestDay(days);
  const quietest = extreme(days, (d) => d.numValidSearches, 'min');
  if (busiest === undefined || quietest === undefined) return 'No day has been loaded yet.';
  const avg = summary.avgValidSearchesPerDay;
  const head = `Valid searches averaged ${formatAverage(avg ?? 0)} a day`;
  if (days.length === 1) return `${head}, over a single day (${formatDay(busiest.day)}).`;
  const withAvg = days.filter((d) => d.searchesAvg7d !== null);
  const first = withAvg[0];
  const last = withAvg[withAvg.length - 1];
  const trend =
    first !== undefined && last !== undefined && first !== last && first.searchesAvg7d !== null
      ? `; the 7-day average went from ${formatAverage(first.searchesAvg7d)} to ${formatAverage(last.searchesAvg7d ?? 0)}`
      : '';
  return (
    `${head}: the busiest day was ${formatDay(busiest.day)} with ${formatCount(busiest.numValidSearches)}` +
    `${vsAverage(busiest.numValidSearches, avg)}, the quietest ${formatDay(quietest.day)} with ` +
    `${formatCount(quietest.numValidSearches)}${trend}.`
  );
}

export function usersReading(days: readonly DayTrend[], summary: PeriodSummary): string {
  const most = extreme(days, (d) => d.numUsers, 'max');
  if (most === undefined || summary.avgUsersPerDay === null) return 'No day has been loaded yet.';
  const perUser =
    summary.numUserDays > 0
      ? `, with ${formatRatio(summary.numValidSearches / summary.numUserDays)} valid searches each`
      : '';
  return (
    `On average ${formatAverage(summary.avgUsersPerDay)} users a day ran at least one valid search${perUser}; ` +
    `the most was ${formatCount(most.numUsers)} on ${formatDay(most.day)}, ` +
    `and ${formatCount(summary.numDistinctUsers)} different users did over the period.`
  );
}

export function typeMixReading(days: readonly DayByType[]): string {
  const totals = days.reduce(
    (sum, d) => ({ rental: sum.rental + d.rental, sale: sum.sale + d.sale, none: sum.none + d.none }),
    { rental: 0, sale: 0, none: 0 },
  );
  const all = totals.rental + totals.sale + totals.none;
  if (all === 0) return 'No valid search in the period, so no type mix to show.';
  const share = (n: number): string => formatPct((100 * n) / all);
  const ranked = (['rental', 'sale', 'none'] as const)
    .map((bucket) => ({ bucket, count: totals[bucket] }))
    .sort((a, b) => b.count - a.count);
  const [lead, ...rest] = ranked;
  if (lead === undefined) return '';
  const others = rest.map((r) => `${typeLabel(r.bucket).toLowerCase()} ${share(r.count)}`).join(', ');
  return `${typeLabel(lead.bucket)} searches lead with ${share(lead.count)} of valid searches (${others}).`;
}

export function weekdayReading(weekdays: readonly WeekdayAverage[]): string {
  const best = extreme(weekdays, (w) => w.avgValidSearches, 'max');
  const worst = extreme(weekdays, (w) => w.avgValidSearches, 'min');
  if (best === undefined || worst === undefined) return 'No day has been loaded yet.';
  if (weekdays.length === 1) return `Only ${best.weekday}s are loaded so far: no weekday pattern yet.`;
  const pct = (w: WeekdayAverage): string =>
    w.searchesVsPeriodPct === null ? '' : `, ${formatSignedPct(w.searchesVsPeriodPct)} vs the period average`;
  const fewDays = weekdays.some((w) => w.numDays < 2) ? ' Some weekdays have a single day behind them.' : '';
  return (
    `${best.weekday}s are the busiest (${formatAverage(best.avgValidSearches)} valid searches on average${pct(best)}) ` +
    `and ${worst.weekday}s the quietest (${formatAverage(worst.avgValidSearches)}${pct(worst)}).${fewDays}`
  );
}

export function topSearchReading(searches: readonly EngagingSearch[], topCount: TopClickCount): string {
  const [top, second] = searches;
  if (top === undefined) return 'No valid search in the period.';
  const head =
    `The most engaging search is search ${top.searchId}: ${plural(top.totalClicks, 'click')} in total over ` +
    `${plural(top.numValidSearches, 'valid search', 'valid searches')} by ${plural(top.numUsers, 'user')} ` +
    `on ${plural(top.numDays, 'day')}.`;
  let tie = '';
  if (second !== undefined && second.totalClicks === top.totalClicks) {
    tie =
      second.numUsers === top.numUsers
        ? ` Search ${second.searchId} ties on clicks and users; the lower search id ranks first.`
        : ` Search ${second.searchId} ties at ${plural(top.totalClicks, 'click')}; ${top.searchId} ranks first with more users (${formatCount(top.numUsers)} vs ${formatCount(second.numUsers)}).`;
  }
  const single =
    topCount.maxClicks === null
      ? ''
      : topCount.numValidSearches > 1
        ? ` No single valid search can be named instead: ${formatCount(topCount.numValidSearches)} valid searches share the top count of ${plural(topCount.maxClicks, 'click')}.`
        : ` The top count for a single valid search, ${plural(topCount.maxClicks, 'click')}, is reached once.`;
  return `${head}${tie}${single}`;
}

/** Values whose relative difference is under this share read as "about the same". */
export const SAME_WITHIN_PCT = 1;

const withinRule = (a: number, b: number): boolean =>
  Math.min(a, b) > 0 && (100 * Math.abs(a - b)) / Math.min(a, b) < SAME_WITHIN_PCT;

type UsedType = TypeEngagement & { readonly clicksPerSearch: number };

export function typeEngagementReading(types: readonly TypeEngagement[]): string {
  const used = types
    .filter((t): t is UsedType => t.numValidSearches > 0 && t.clicksPerSearch !== null)
    .sort((a, b) => b.clicksPerSearch - a.clicksPerSearch);
  const [best, second] = used;
  if (best === undefined) return 'No valid search in the period.';
  const decimals = separatingDecimals(used.map((t) => t.clicksPerSearch));
  const value = (t: UsedType): string => formatFixed(t.clicksPerSearch, decimals);
  const label = (t: TypeEngagement): string => typeLabel(t.typeBucket).toLowerCase();
  const widest = extreme(used, (t) => t.shareOfUsersPct ?? 0, 'max');
  const reach =
    widest !== undefined && widest.shareOfUsersPct !== null
      ? ` ${typeLabel(widest.typeBucket)} searches reach the most users: ${formatPct(widest.shareOfUsersPct)} of active user-days.`
      : '';
  if (second === undefined) {
    return `Only ${label(best)} searches are valid in the period: ${value(best)} clicks per valid search.${reach}`;
  }
  const same = used.filter((t) => withinRule(t.clicksPerSearch, best.clicksPerSearch));
  const rest = used.filter((t) => !same.includes(t));
  const list = (ts: readonly UsedType[]): string => ts.map((t) => `${value(t)} for ${label(t)}`).join(', ');
  const rule = `within ${SAME_WITHIN_PCT}% of each other`;
  if (same.length === used.length) {
    return `Clicks per valid search are about the same for every type (${list(used)}: ${rule}).${reach}`;
  }
  if (same.length > 1) {
    const names = same.map(label).join(' and ');
    return (
      `${names.charAt(0).toUpperCase()}${names.slice(1)} searches draw about the same clicks per valid search ` +
      `(${list(same)}: ${rule}), more than ${list(rest)}.${reach}`
    );
  }
  return (
    `${typeLabel(best.typeBucket)} searches draw the most clicks per valid search ` +
    `(${value(best)} vs ${list(rest)}).${reach}`
  );
}

export function standoutReading(standouts: readonly StandoutDay[], numDays: number): string {
  const [top] = standouts;
  if (top === undefined) {
    if (numDays < 6) return `Too few days (${numDays}) for any to stand out: it takes at least 6.`;
    return `No day stands out: every day is within ${STANDOUT_Z} standard deviations of the period average.`;
  }
  const days = new Set(standouts.map((s) => s.day)).size;
  const measure = top.measure === 'users' ? 'users' : 'valid searches';
  const gap = top.vsMeanPct === null ? '' : `${formatSignedPct(top.vsMeanPct)} vs `;
  const detail =
    `${formatDay(top.day)}: ${formatCount(top.value)} ${measure}, ${gap}the average of ` +
    `${formatAverage(top.periodMean)} (${formatRatio(Math.abs(top.zScore))} standard deviations ${top.direction}; the bar is ${STANDOUT_Z}).`;
  return days === 1
    ? `One day stands out, ${detail}`
    : `${formatCount(days)} days stand out; the furthest is ${detail}`;
}
