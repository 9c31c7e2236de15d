import { STANDOUT_Z } from './charts';
import {
  formatAverage,
  formatCount,
  formatDay,
  formatPct,
  formatRatio,
  formatSignedPct,
  plural,
  typeLabel,
} from './format';
import type {
  DayByType,
  DayTrend,
  EngagingSearch,
  PeriodSummary,
  StandoutDay,
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

export function topSearchReading(searches: readonly EngagingSearch[]): string {
  const [top] = searches;
  if (top === undefined) return 'No valid search in the period.';
  const tied = searches.filter((s) => s.clicks === top.clicks).length;
  const tie =
    tied > 1
      ? ` ${tied} searches tie at ${formatCount(top.clicks)} clicks; fewer listings ranks first, then lower search id and earlier day.`
      : '';
  return (
    `The most engaging search was search ${top.searchId} by user ${top.userId} on ${formatDay(top.day)}: ` +
    `${plural(top.clicks, 'click')} on ${plural(top.listings, 'listing')}.${tie}`
  );
}

export function typeEngagementReading(types: readonly TypeEngagement[]): string {
  const used = types.filter((t) => t.numValidSearches > 0 && t.clicksPerSearch !== null);
  const best = extreme(used, (t) => t.clicksPerSearch ?? 0, 'max');
  if (best === undefined || best.clicksPerSearch === null) return 'No valid search in the period.';
  const others = used
    .filter((t) => t !== best)
    .map((t) => `${formatRatio(t.clicksPerSearch ?? 0)} for ${typeLabel(t.typeBucket).toLowerCase()}`)
    .join(', ');
  const widest = extreme(used, (t) => t.shareOfUsersPct ?? 0, 'max');
  const reach =
    widest?.shareOfUsersPct !== null && widest !== undefined
      ? ` ${typeLabel(widest.typeBucket)} searches reach the most users: ${formatPct(widest.shareOfUsersPct)} of active user-days.`
      : '';
  return (
    `${typeLabel(best.typeBucket)} searches draw the most clicks per valid search ` +
    `(${formatRatio(best.clicksPerSearch)}${others === '' ? '' : ` vs ${others}`}).${reach}`
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
