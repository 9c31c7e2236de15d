import type { ChartOption } from './echarts-svg';
import { categoryAxisStyle, legendStyle, valueAxisStyle } from './echarts-svg';
import { formatDayShort, formatFixed, separatingDecimals, typeLabel } from './format';
import type { DayByType, DayTrend, EngagingSearch, TypeEngagement, WeekdayAverage } from './report-data';
import { COLORS, TYPE_COLORS } from './theme';

/** The |z| from which a day stands out; 05_daily_trends.sql and 05c_standout_days.sql use the same. */
export const STANDOUT_Z = 2;

// The grid shrinks until axis labels AND axis titles fit inside the chart (ECharts 6 outer bounds).
const GRID = {
  left: 8,
  right: 16,
  top: 40,
  bottom: 8,
  outerBoundsMode: 'same',
  outerBoundsContain: 'all',
} as const;

/** Axis titles: every chart names what its axes measure, in the reader's words. */
function axisTitle(name: string, at: 'x' | 'y'): Record<string, unknown> {
  return at === 'x'
    ? { name, nameLocation: 'middle', nameGap: 28, nameTextStyle: { color: COLORS.muted, fontSize: 12 } }
    : { name, nameLocation: 'middle', nameGap: 48, nameTextStyle: { color: COLORS.muted, fontSize: 12 } };
}

function dayAxis(days: readonly string[]): ChartOption['xAxis'] {
  return {
    type: 'category',
    data: days.map(formatDayShort),
    ...categoryAxisStyle,
    ...axisTitle('Day (UTC)', 'x'),
    // The first and last labels align inward, so the last day is never cut at the chart's edge.
    axisLabel: {
      ...categoryAxisStyle.axisLabel,
      hideOverlap: true,
      alignMinLabel: 'left',
      alignMaxLabel: 'right',
    },
  };
}

function valueAxis(title: string, extra: Record<string, unknown> = {}): ChartOption['yAxis'] {
  return { type: 'value', ...valueAxisStyle, ...axisTitle(title, 'y'), ...extra };
}

/** Bars of valid searches per day (standout days highlighted) with the 7-day average line. */
export function searchesPerDayChart(days: readonly DayTrend[]): ChartOption {
  return {
    grid: GRID,
    legend: { ...legendStyle, data: ['Valid searches', '7-day average', 'Stands out'] },
    xAxis: dayAxis(days.map((d) => d.day)),
    yAxis: valueAxis('Valid searches'),
    series: [
      {
        name: 'Valid searches',
        type: 'bar',
        barMaxWidth: 28,
        itemStyle: { color: COLORS.searches, borderRadius: [3, 3, 0, 0] },
        data: days.map((d) => ({
          value: d.numValidSearches,
          itemStyle: { color: d.isStandout ? COLORS.standout : COLORS.searches },
        })),
      },
      {
        name: '7-day average',
        type: 'line',
        symbol: 'none',
        connectNulls: false,
        lineStyle: { color: COLORS.searchesDark, width: 2.5 },
        itemStyle: { color: COLORS.searchesDark },
        data: days.map((d) => d.searchesAvg7d),
      },
      // Legend entry only: the stand-out colour used by the bars above.
      { name: 'Stands out', type: 'scatter', itemStyle: { color: COLORS.standout }, data: [] },
    ],
  };
}

/** Users with a valid search per day (area) with the 7-day average line. */
export function usersPerDayChart(days: readonly DayTrend[]): ChartOption {
  return {
    grid: GRID,
    legend: { ...legendStyle, data: ['Users', '7-day average'] },
    xAxis: { ...(dayAxis(days.map((d) => d.day)) as object), boundaryGap: false },
    yAxis: valueAxis('Users with a valid search'),
    series: [
      {
        name: 'Users',
        type: 'line',
        symbol: 'circle',
        symbolSize: 5,
        lineStyle: { color: COLORS.users, width: 2 },
        itemStyle: { color: COLORS.users },
        areaStyle: { color: COLORS.users, opacity: 0.12 },
        data: days.map((d) => d.numUsers),
      },
      {
        name: '7-day average',
        type: 'line',
        symbol: 'none',
        lineStyle: { color: COLORS.usersDark, width: 2.5, type: 'dashed' },
        itemStyle: { color: COLORS.usersDark },
        data: days.map((d) => d.usersAvg7d),
      },
    ],
  };
}

/** Valid searches per day stacked by type bucket. */
export function searchesByTypeChart(days: readonly DayByType[]): ChartOption {
  const buckets = ['rental', 'sale', 'none'] as const;
  return {
    grid: GRID,
    legend: { ...legendStyle, data: buckets.map(typeLabel) },
    xAxis: dayAxis(days.map((d) => d.day)),
    yAxis: valueAxis('Valid searches'),
    series: buckets.map((bucket, i) => ({
      name: typeLabel(bucket),
      type: 'bar' as const,
      stack: 'type',
      barMaxWidth: 28,
      itemStyle: {
        color: TYPE_COLORS[bucket],
        borderRadius: i === buckets.length - 1 ? [3, 3, 0, 0] : 0,
      },
      data: days.map((d) => d[bucket]),
    })),
  };
}

/** Average valid searches per weekday, the busiest highlighted, with the period average as a line. */
export function weekdayChart(weekdays: readonly WeekdayAverage[], periodAverage: number | null): ChartOption {
  const top = Math.max(...weekdays.map((w) => w.avgValidSearches));
  return {
    grid: { ...GRID, top: 24 },
    xAxis: {
      type: 'category',
      data: weekdays.map((w) => w.weekday.slice(0, 3)),
      ...categoryAxisStyle,
      ...axisTitle('Weekday', 'x'),
    },
    yAxis: valueAxis('Valid searches a day (average)'),
    series: [
      {
        name: 'Average valid searches',
        type: 'bar',
        barMaxWidth: 40,
        data: weekdays.map((w) => ({
          value: w.avgValidSearches,
          itemStyle: {
            color: w.avgValidSearches === top ? COLORS.searches : COLORS.calm,
            borderRadius: [3, 3, 0, 0],
          },
        })),
        markLine:
          periodAverage === null
            ? undefined
            : {
                symbol: 'none',
                silent: true,
                label: { formatter: 'period average', color: COLORS.muted, position: 'insideStartTop' },
                lineStyle: { color: COLORS.faint, type: 'dashed' },
                data: [{ yAxis: periodAverage }],
              },
      },
    ],
  };
}

/** The top search ids as horizontal bars of their total clicks, best at the top. */
export function topSearchesChart(searches: readonly EngagingSearch[]): ChartOption {
  const ordered = [...searches].reverse();
  return {
    grid: { ...GRID, top: 8, right: 48 },
    xAxis: {
      type: 'value',
      ...valueAxisStyle,
      ...axisTitle('Clicks in total (all its valid searches)', 'x'),
    },
    yAxis: {
      type: 'category',
      ...categoryAxisStyle,
      ...axisTitle('Search id', 'y'),
      nameLocation: 'end',
      nameGap: 8,
      data: ordered.map((s) => `#${s.rank}  ${s.searchId}`),
    },
    series: [
      {
        name: 'Clicks',
        type: 'bar',
        barMaxWidth: 18,
        label: { show: true, position: 'right', color: COLORS.ink, fontWeight: 'bold' },
        data: ordered.map((s) => ({
          value: s.totalClicks,
          itemStyle: { color: COLORS.searches, borderRadius: [0, 3, 3, 0] },
        })),
      },
    ],
  };
}

/** Clicks per valid search for each type bucket, labelled at the precision that tells them apart. */
export function engagementByTypeChart(types: readonly TypeEngagement[]): ChartOption {
  const decimals = separatingDecimals(
    types.flatMap((t) => (t.clicksPerSearch === null ? [] : [t.clicksPerSearch])),
  );
  return {
    grid: { ...GRID, top: 24 },
    xAxis: {
      type: 'category',
      data: types.map((t) => typeLabel(t.typeBucket)),
      ...categoryAxisStyle,
      ...axisTitle('Search type', 'x'),
    },
    yAxis: valueAxis('Clicks per valid search'),
    series: [
      {
        name: 'Clicks per valid search',
        type: 'bar',
        barMaxWidth: 56,
        label: {
          show: true,
          position: 'top',
          color: COLORS.ink,
          fontWeight: 'bold',
          formatter: (p: { value: unknown }) => formatFixed(Number(p.value), decimals),
        },
        data: types.map((t) => ({
          value: t.clicksPerSearch ?? 0,
          itemStyle: { color: TYPE_COLORS[t.typeBucket] ?? COLORS.searches, borderRadius: [3, 3, 0, 0] },
        })),
      },
    ],
  };
}

/** z-score of each day's valid searches (bars) and users (dots), with the +-2 bands. */
export function standoutChart(days: readonly DayTrend[]): ChartOption {
  const limit = Math.max(
    3,
    ...days.map((d) => Math.ceil(Math.max(Math.abs(d.searchesZ ?? 0), Math.abs(d.usersZ ?? 0)))),
  );
  const outside = (z: number | null): boolean => z !== null && Math.abs(z) >= STANDOUT_Z;
  return {
    grid: GRID,
    legend: { ...legendStyle, data: ['Valid searches (z-score)', 'Users (z-score)'] },
    xAxis: dayAxis(days.map((d) => d.day)),
    yAxis: valueAxis('Standard deviations from the average', { min: -limit, max: limit }),
    series: [
      {
        name: 'Valid searches (z-score)',
        type: 'bar',
        barMaxWidth: 22,
        itemStyle: { color: COLORS.calm },
        data: days.map((d) => ({
          value: d.searchesZ ?? 0,
          itemStyle: { color: outside(d.searchesZ) ? COLORS.standout : COLORS.calm },
        })),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: COLORS.standout, type: 'dashed', opacity: 0.6 },
          label: { formatter: '{c}\u03c3', color: COLORS.standout, position: 'insideEndTop' },
          data: [{ yAxis: STANDOUT_Z }, { yAxis: -STANDOUT_Z }],
        },
      },
      {
        name: 'Users (z-score)',
        type: 'scatter',
        symbolSize: 8,
        itemStyle: { color: COLORS.users },
        data: days.map((d) => d.usersZ),
      },
    ],
  };
}
