import * as echarts from 'echarts';
import { COLORS, FONT_STACK } from './theme';

export type ChartOption = echarts.EChartsOption;

/** Chart canvas sizes: the SVG scales to its card's width, these fix its proportions. */
export const SIZE = {
  wide: { width: 1040, height: 320 },
  half: { width: 500, height: 300 },
} as const;

/** Renders an ECharts option to a static SVG string on the server (no DOM, no animation). */
export function renderSvg(option: ChartOption, size: { width: number; height: number }): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT_STACK, color: COLORS.muted, fontSize: 12 },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Axis and grid styling shared by the cartesian charts. */
export const valueAxisStyle = {
  axisLine: { show: false },
  axisTick: { show: false },
  splitLine: { lineStyle: { color: COLORS.grid } },
  axisLabel: { color: COLORS.muted, fontSize: 12 },
} as const;

export const categoryAxisStyle = {
  axisLine: { lineStyle: { color: COLORS.grid } },
  axisTick: { show: false },
  axisLabel: { color: COLORS.muted, fontSize: 12 },
} as const;

export const legendStyle = {
  top: 0,
  left: 0,
  itemGap: 18,
  icon: 'roundRect',
  itemWidth: 12,
  itemHeight: 12,
  textStyle: { color: COLORS.ink, fontSize: 12 },
} as const;
