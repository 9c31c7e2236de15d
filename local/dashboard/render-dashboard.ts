/**
 * The local preview of the deployed CloudWatch dashboard: its widgets placed exactly by their x, y,
 * width and height on a 24-column grid, each drawn with the local run's data for its metrics, or
 * "no local data". One self-contained HTML page (inline CSS and SVG, no scripts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { renderSvg } from '../report/echarts-svg';
import { formatCount, formatTimestamp } from '../report/format';
import { html, trusted, type SafeHtml } from '../report/html';
import { COLORS, FONT_STACK } from '../report/theme';
import { readableId, type DashboardLayout, type DashboardWidget, type WidgetMetric } from './dashboard-body';
import {
  graphChart,
  legendLabel,
  legendRows,
  LEGEND_ROW_PX,
  NO_LOCAL_DATA,
  SERIES_COLORS,
  type PlottedSeries,
} from './graph-chart';
import type { LocalDashboardData } from './local-data';
import { bucketRange, localSeries } from './local-metrics';

/** One grid unit on the page, in CSS pixels (CloudWatch sizes its units to the browser window). */
export const GRID_UNIT = { width: 56, height: 48 } as const;
/** CloudWatch's dashboard grid is 24 columns wide (see dashboard-body.ts). */
export const GRID_COLUMNS = 24;
const GUTTER = 5;
const PAD = { x: 12, top: 8, bottom: 6 };
const TITLE_PX = 22;
const FOOTER_PX = 18;

export interface DashboardPreviewOptions {
  /** The time printed as "generated". @default now */
  readonly generatedAt?: Date;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f2f3f3;color:${COLORS.ink};font-family:${FONT_STACK};font-size:13px;line-height:1.4}
.page{width:${GRID_COLUMNS * GRID_UNIT.width + 32}px;padding:18px 16px 24px}
header h1{font-size:20px;margin:0 0 2px}
header p{margin:0 0 10px;color:${COLORS.muted}}
.grid{display:grid;grid-template-columns:repeat(${GRID_COLUMNS},${GRID_UNIT.width}px);grid-auto-rows:${GRID_UNIT.height}px}
.widget{margin:${GUTTER}px;background:#fff;border:1px solid #d5dbdb;border-radius:4px;
  padding:${PAD.top}px ${PAD.x}px ${PAD.bottom}px;display:flex;flex-direction:column;overflow:hidden;min-width:0}
.widget h2{font-size:14px;font-weight:700;margin:0;height:${TITLE_PX}px;line-height:${TITLE_PX}px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.widget .body{flex:1;min-height:0}
.widget .source{height:${FOOTER_PX}px;line-height:${FOOTER_PX}px;font-size:11px;color:${COLORS.muted};white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.widget.text{background:transparent;border:none}
.widget.text h2{font-size:18px;height:auto;line-height:1.3}
.widget.text p{margin:2px 0 0;color:#334155}
.tiles{display:flex;gap:8px;height:100%}
.tile{flex:1;min-width:0;border-left:3px solid var(--c);padding:2px 10px}
.tile .label{font-size:12px;color:${COLORS.muted};white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tile .value{font-size:28px;font-weight:600;font-variant-numeric:tabular-nums;line-height:1.25}
.tile .value.none,.alarm-chip .state{font-size:13px;font-weight:600;color:${COLORS.faint};font-style:italic}
.alarms{display:flex;gap:10px;align-items:center;height:100%}
.alarm-chip{display:flex;gap:8px;align-items:center;border:1px solid #d5dbdb;border-radius:4px;padding:4px 10px}
.alarm-chip .dot{width:10px;height:10px;border-radius:50%;background:${COLORS.grid}}
.alarm-chip .name{font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:0 14px;font-size:11px;line-height:${LEGEND_ROW_PX}px}
.legend span{white-space:nowrap}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.legend .none{color:${COLORS.faint}}
.chart svg{display:block}
`;

/** The few Markdown forms the text widget uses: `## heading`, paragraphs, `*emphasis*`. */
function markdown(text: string): SafeHtml {
  const inline = (line: string): SafeHtml =>
    trusted(html`${line}`.html.replace(/\*([^*]+)\*/g, '<em>$1</em>'));
  return trusted(
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(
        (line) =>
          (line.startsWith('## ') ? html`<h2>${inline(line.slice(3))}</h2>` : html`<p>${inline(line)}</p>`)
            .html,
      )
      .join(''),
  );
}

/**
 * A metric's legend label: the body's, else the metric name. (CloudWatch generates its own default
 * label when none is given: https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudwatch/aws.sdk.kotlin.services.cloudwatch.model/-metric-data-query/label.html)
 */
const labelOf = (metric: WidgetMetric): string => metric.label ?? metric.metricName;

/**
 * The x-axis of every daily graph (each day from the first to the last the local run has) and of
 * every hourly one (each hour a local execution started or finished in), so the graphs line up.
 */
export function localTimeAxes(data: LocalDashboardData): { days: string[]; hours: string[] } {
  const runDays = data.executions.flatMap((e) => (e.machine === 'daily' ? [e.day] : []));
  return {
    days: bucketRange([...data.volumes.map((v) => v.day), ...runDays], false),
    hours: bucketRange(
      data.executions.flatMap((e) => [e.startedAt.slice(0, 13), e.finishedAt.slice(0, 13)]),
      true,
    ),
  };
}

function plotted(
  metrics: readonly WidgetMetric[],
  data: LocalDashboardData,
): { series: PlottedSeries[]; categories: string[] } {
  const answers = metrics.map((m) => ({ metric: m, local: localSeries(m, data) }));
  const axes = localTimeAxes(data);
  const categories = metrics.some((m) => m.periodSeconds === 3600) ? axes.hours : axes.days;
  const series = answers.map(({ metric, local }, i) => ({
    label: labelOf(metric),
    yAxis: metric.yAxis,
    color: SERIES_COLORS[i % SERIES_COLORS.length] ?? COLORS.muted,
    local,
    values: categories.map((c) =>
      local.kind === 'none' ? null : (local.points.get(c) ?? (local.zeroWhenAbsent ? 0 : null)),
    ),
  }));
  return { series, categories };
}

/** Where a widget's numbers come from, for its footer. */
function sourceLine(series: readonly PlottedSeries[], hourly: boolean): string {
  const sources = [...new Set(series.flatMap((s) => (s.local.kind === 'local' ? [s.local.source] : [])))];
  if (sources.length === 0)
    return `${NO_LOCAL_DATA}: ${series[0]?.local.kind === 'none' ? series[0].local.reason : ''}`;
  return `local: ${sources.join('; ')} \u00b7 x: ${hourly ? 'the hour (UTC) it ran' : "the data's day"}`;
}

/** The data attribute a test reads: each metric's label -> [bucket, value] pairs as plotted. */
function seriesAttribute(series: readonly PlottedSeries[], categories: readonly string[]): string {
  return JSON.stringify(
    Object.fromEntries(
      series.map((s) => [
        s.label,
        s.local.kind === 'none' ? NO_LOCAL_DATA : categories.map((c, i) => [c, s.values[i] ?? null]),
      ]),
    ),
  );
}

/** The chart's size: the widget's box less its title, legend (rows estimated) and footer. */
function chartSize(widget: DashboardWidget, legend: readonly string[]): { width: number; height: number } {
  const width = widget.width * GRID_UNIT.width - 2 * GUTTER - 2 * PAD.x - 2;
  const legendPx = legendRows(legend, width) * LEGEND_ROW_PX;
  return {
    width,
    height:
      widget.height * GRID_UNIT.height -
      2 * GUTTER -
      PAD.top -
      PAD.bottom -
      TITLE_PX -
      FOOTER_PX -
      legendPx -
      2,
  };
}

function legendHtml(series: readonly PlottedSeries[]): SafeHtml {
  return html`<div class="legend">
    ${series.map((s) =>
      s.local.kind === 'none'
        ? html`<span class="none" title="${s.local.reason}"
            ><i style="background:${COLORS.grid}"></i>${legendLabel(s)}</span
          >`
        : html`<span><i style="background:${s.color}"></i>${legendLabel(s)}</span>`,
    )}
  </div>`;
}

function widgetBody(
  widget: DashboardWidget,
  data: LocalDashboardData,
): { body: SafeHtml; source: string; attr: string } {
  switch (widget.kind) {
    case 'text':
      return { body: markdown(widget.markdown), source: '', attr: '{}' };
    case 'alarm':
      return {
        body: html`<div class="alarms">
          ${widget.alarms.map(
            (a) =>
              html`<div class="alarm-chip" data-alarm="${a}">
                <span class="dot"></span><span class="name">${readableId(a)}</span
                ><span class="state">${NO_LOCAL_DATA}</span>
              </div>`,
          )}
        </div>`,
        source: `${NO_LOCAL_DATA}: alarm states live in CloudWatch (the names are the alarms' logical ids)`,
        attr: '{}',
      };
    case 'singleValue': {
      const { series, categories } = plotted(widget.metrics, data);
      const lastIndex = categories.length - 1;
      const last = categories[lastIndex];
      const tiles = series.map((s) => {
        const value = s.local.kind === 'none' || lastIndex < 0 ? null : (s.values[lastIndex] ?? null);
        return html`<div class="tile" style="--c:${s.color}">
          <div class="label">${s.label}</div>
          ${
            value === null
              ? html`<div class="value none">${NO_LOCAL_DATA}</div>`
              : html`<div class="value">${formatCount(value)}</div>`
          }
        </div>`;
      });
      const single = series.map((s) => ({
        ...s,
        values: lastIndex < 0 ? [] : [s.values[lastIndex] ?? null],
      }));
      return {
        body: html`<div class="tiles">${tiles}</div>`,
        source:
          last === undefined
            ? `${NO_LOCAL_DATA}: no day in the local warehouse`
            : `local: the latest day, ${last} (on AWS: the last 24 hours) \u00b7 ${sourceLine(series, false).replace(/^local: | \u00b7 x:.*$/g, '')}`,
        attr: seriesAttribute(single, last === undefined ? [] : [last]),
      };
    }
    case 'graph': {
      const { series, categories } = plotted(widget.metrics, data);
      const size = chartSize(widget, series.map(legendLabel));
      const svg = renderSvg(graphChart(widget, series, categories), size);
      return {
        body: html`<div class="chart" data-chart>${trusted(svg)}</div>
          ${legendHtml(series)}`,
        source: sourceLine(
          series,
          widget.metrics.some((m) => m.periodSeconds === 3600),
        ),
        attr: seriesAttribute(series, categories),
      };
    }
  }
}

function widgetHtml(widget: DashboardWidget, index: number, data: LocalDashboardData): SafeHtml {
  const { body, source, attr } = widgetBody(widget, data);
  const title = widget.kind === 'text' ? '' : widget.title;
  const place = `grid-column:${widget.x + 1} / span ${widget.width};grid-row:${widget.y + 1} / span ${widget.height}`;
  return html`<section
    class="widget ${widget.kind}"
    style="${place}"
    data-widget="${index}"
    data-kind="${widget.kind}"
    data-x="${widget.x}"
    data-y="${widget.y}"
    data-width="${widget.width}"
    data-height="${widget.height}"
    data-title="${title}"
    data-legend="${JSON.stringify(widget.kind === 'graph' || widget.kind === 'singleValue' ? widget.metrics.map(labelOf) : [])}"
    data-series="${attr}"
  >
    ${title ? html`<h2>${title}</h2>` : ''}
    <div class="body">${body}</div>
    ${source ? html`<div class="source" title="${source}">${source}</div>` : ''}
  </section>`;
}

/** The page: a header saying what this is, then the widgets on the grid. */
export function renderDashboardPreview(
  layout: DashboardLayout,
  data: LocalDashboardData,
  options: DashboardPreviewOptions = {},
): string {
  const generatedAt = options.generatedAt ?? new Date();
  const rows = Math.max(0, ...layout.widgets.map((w) => w.y + w.height));
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${layout.name}: local preview</title>
        <style>
          ${trusted(CSS)}
        </style>
      </head>
      <body>
        <main class="page">
          <header>
            <h1>${layout.name} <span style="font-weight:400;color:${COLORS.muted}">(local preview)</span></h1>
            <p>
              The deployed CloudWatch dashboard's layout, read from the synthesized template
              (${layout.widgets.length} widgets, 24 columns), drawn with this machine's local run: the
              warehouse's days and the runner's executions log. Metrics only AWS records say
              "${NO_LOCAL_DATA}". Generated ${formatTimestamp(generatedAt)}.
            </p>
          </header>
          <div class="grid" style="grid-template-rows:repeat(${rows},${GRID_UNIT.height}px)">
            ${layout.widgets.map((w, i) => widgetHtml(w, i, data))}
          </div>
        </main>
      </body>
    </html>`.html;
}

/** Renders the preview to `outFile` (creating its folder); returns the absolute path written. */
export function writeDashboardPreview(
  layout: DashboardLayout,
  data: LocalDashboardData,
  outFile: string,
  options: DashboardPreviewOptions = {},
): string {
  const target = path.resolve(outFile);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, renderDashboardPreview(layout, data, options), 'utf8');
  return target;
}
