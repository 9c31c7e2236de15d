/**
 * One metric graph widget as an ECharts line chart: the widget's metrics on its left and right axes
 * (with the body's axis labels and minimums) and its horizontal annotations as labelled lines. The
 * legend is HTML under the chart (render-dashboard.ts): the browser wraps it, no label overlaps.
 */
import type { ChartOption } from '../report/echarts-svg';
import { categoryAxisStyle, valueAxisStyle } from '../report/echarts-svg';
import { formatDayShort } from '../report/format';
import { COLORS } from '../report/theme';
import type { AxisSpec, DashboardWidget } from './dashboard-body';
import type { LocalSeries } from './local-metrics';

type GraphWidget = Extract<DashboardWidget, { kind: 'graph' }>;

/** The colours CloudWatch's graphs cycle through by default (d3's category10). */
export const SERIES_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

export interface PlottedSeries {
  readonly label: string;
  readonly yAxis: 'left' | 'right';
  readonly color: string;
  readonly local: LocalSeries;
  /** One value per category: the statistic, 0 for an absent count, null for a gap or no local data. */
  readonly values: readonly (number | null)[];
}

export const NO_LOCAL_DATA = 'no local data';

/** A day as the report writes it (`2 Jul`); an hour as `16:00` (UTC). */
export function categoryLabel(bucket: string): string {
  return bucket.length > 10 ? `${bucket.slice(11, 13)}:00` : formatDayShort(bucket);
}

/** The legend text: the metric's label, and say so when the local run has none of it. */
export const legendLabel = (s: Pick<PlottedSeries, 'label' | 'local'>): string =>
  s.local.kind === 'none' ? `${s.label} (${NO_LOCAL_DATA})` : s.label;

function valueAxis(spec: AxisSpec, top: number | undefined, side: 'left' | 'right'): Record<string, unknown> {
  return {
    type: 'value',
    position: side,
    ...valueAxisStyle,
    ...(spec.min === undefined ? {} : { min: spec.min }),
    ...(top === undefined ? {} : { max: top }),
    name: spec.label ?? '',
    nameLocation: 'middle',
    nameGap: 44,
    nameTextStyle: { color: COLORS.muted, fontSize: 12 },
    ...(side === 'right' ? { splitLine: { show: false } } : {}),
  };
}

/** The axis maximum that keeps every annotation in view (ECharts only scales to the data). */
function axisTop(
  widget: GraphWidget,
  series: readonly PlottedSeries[],
  side: 'left' | 'right',
): number | undefined {
  const lines = widget.annotations.filter((a) => a.yAxis === side).map((a) => a.value);
  if (lines.length === 0) return undefined;
  const data = series
    .filter((s) => s.yAxis === side)
    .flatMap((s) => s.values.filter((v): v is number => v !== null));
  const wanted = Math.max(...lines, ...data) * 1.2;
  // A round top (1.5, 2, 5, 10, 15, ... times a power of ten), so the ticks stay round.
  const magnitude = 10 ** Math.floor(Math.log10(wanted));
  const step = [1, 1.5, 2, 3, 5, 10].find((m) => m * magnitude >= wanted) ?? 10;
  return Number((step * magnitude).toPrecision(3));
}

/** Height of one legend row (the legend is HTML under the chart, see render-dashboard.ts). */
export const LEGEND_ROW_PX = 18;

/**
 * How many rows the HTML legend wraps to in `width` px, estimated generously (11 px text at up to
 * 7 px a character, a 10 px swatch and gaps), so the chart above it leaves room.
 */
export function legendRows(labels: readonly string[], width: number): number {
  let rows = 1;
  let used = 0;
  for (const label of labels) {
    const item = 10 + 4 + label.length * 7 + 14;
    if (used > 0 && used + item > width) {
      rows += 1;
      used = 0;
    }
    used += item;
  }
  return rows;
}

export function graphChart(
  widget: GraphWidget,
  series: readonly PlottedSeries[],
  categories: readonly string[],
): ChartOption {
  const hasRight = series.some((s) => s.yAxis === 'right') || widget.rightAxis.label !== undefined;
  const allEmpty = series.every((s) => s.local.kind === 'none');
  const yAxis = [valueAxis(widget.leftAxis, axisTop(widget, series, 'left'), 'left')];
  if (hasRight) yAxis.push(valueAxis(widget.rightAxis, axisTop(widget, series, 'right'), 'right'));
  const annotationSeries = widget.annotations.map((a) => ({
    name: `annotation: ${a.label}`,
    type: 'line' as const,
    yAxisIndex: a.yAxis === 'right' && hasRight ? 1 : 0,
    data: [],
    markLine: {
      symbol: 'none',
      silent: true,
      lineStyle: { color: a.color ?? COLORS.muted, type: 'dashed', width: 1.5 },
      label: {
        formatter: `${a.label} ${a.value}`,
        color: a.color ?? COLORS.muted,
        position: 'insideStartTop',
        fontSize: 11,
      },
      data: [{ yAxis: a.value }],
    },
  }));
  return {
    grid: {
      left: 8,
      right: 8,
      top: 12,
      bottom: 4,
      outerBoundsMode: 'same',
      outerBoundsContain: 'all',
    },
    xAxis: {
      type: 'category',
      data: categories.map(categoryLabel),
      boundaryGap: false,
      ...categoryAxisStyle,
      axisLabel: {
        ...categoryAxisStyle.axisLabel,
        hideOverlap: true,
        alignMinLabel: 'left',
        alignMaxLabel: 'right',
      },
    },
    yAxis,
    ...(allEmpty
      ? {
          graphic: [
            {
              type: 'text',
              left: 'center',
              top: 'middle',
              style: { text: NO_LOCAL_DATA, fill: COLORS.faint, fontSize: 15, fontWeight: 600 },
            },
          ],
        }
      : {}),
    series: [
      ...series.map((s) => ({
        name: legendLabel(s),
        type: 'line' as const,
        yAxisIndex: s.yAxis === 'right' && hasRight ? 1 : 0,
        symbol: 'circle',
        symbolSize: 6,
        connectNulls: false,
        lineStyle: { color: s.color, width: 2 },
        itemStyle: { color: s.color },
        data: [...s.values],
      })),
      ...annotationSeries,
    ],
  } as ChartOption;
}
