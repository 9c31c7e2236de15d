import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  engagementByTypeChart,
  searchesByTypeChart,
  searchesPerDayChart,
  standoutChart,
  STANDOUT_Z,
  topSearchesChart,
  usersPerDayChart,
  weekdayChart,
} from './charts';
import { renderSvg, SIZE, type ChartOption } from './echarts-svg';
import {
  formatAverage,
  formatCount,
  formatDay,
  formatDayRange,
  formatPct,
  orDash,
  formatRatio,
  formatSignedPct,
  formatTimestamp,
  formatZ,
  plural,
  typeLabel,
} from './format';
import { html, type SafeHtml, trusted } from './html';
import { PAGE_CSS } from './page-style';
import type { Query } from './query';
import * as readings from './readings';
import { loadReportData, type ReportData } from './report-data';
import { TYPE_COLORS } from './theme';

export interface ReportOptions {
  /** The page heading. @default 'Search engagement' */
  readonly title?: string;
  /** The time printed as "generated". @default now */
  readonly generatedAt?: Date;
}

/** Runs the question queries and renders one self-contained HTML page (inline CSS and SVG, no scripts). */
export async function renderReport(query: Query, opts: ReportOptions = {}): Promise<string> {
  const data = await loadReportData(query);
  return renderPage(data, opts.title ?? 'Search engagement', opts.generatedAt ?? new Date());
}

/** Renders the report to `outFile` (creating its folder) and returns the absolute path written. */
export async function writeReport(query: Query, outFile: string, opts: ReportOptions = {}): Promise<string> {
  const page = await renderReport(query, opts);
  const target = path.resolve(outFile);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, page, 'utf8');
  return target;
}

function renderPage(data: ReportData, title: string, generatedAt: Date): string {
  const { summary } = data;
  const period =
    summary.firstDay !== null && summary.lastDay !== null
      ? `${formatDayRange(summary.firstDay, summary.lastDay)} \u00b7 ${plural(summary.numDays, 'day')} loaded`
      : 'No day loaded yet';
  const body = summary.numDays === 0 ? emptyBody() : reportBody(data);
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          ${trusted(PAGE_CSS)}
        </style>
      </head>
      <body>
        <main class="page">
          <header class="masthead">
            <div class="eyebrow">Search engagement report</div>
            <h1>${title}</h1>
            <p class="subtitle">${period} · generated ${formatTimestamp(generatedAt)}</p>
          </header>
          ${body} ${definitions()}
        </main>
      </body>
    </html> `;
  return page.html;
}

function emptyBody(): SafeHtml {
  return html`<section class="card wide">
    <h2>Nothing to show yet</h2>
    <p class="reading">
      The warehouse has no loaded day. Run the pipeline for at least one day, then write the report again.
    </p>
  </section>`;
}

function chart(
  name: string,
  label: string,
  option: ChartOption,
  size: { width: number; height: number },
): SafeHtml {
  return html`<div class="chart" data-chart="${name}" role="img" aria-label="${label}">
    ${trusted(renderSvg(option, size))}
  </div>`;
}

function card(title: string, reading: string, content: SafeHtml, wide = true): SafeHtml {
  return html`<section class="card${wide ? ' wide' : ''}">
    <h2>${title}</h2>
    <p class="reading">${reading}</p>
    ${content}
  </section>`;
}

function reportBody(data: ReportData): SafeHtml {
  const { summary, days } = data;
  return html`${kpis(data)}
    <div class="grid">
      ${card('Valid searches per day', readings.searchesReading(days, summary), chart('searches-per-day', 'Valid searches per day with the 7-day average', searchesPerDayChart(days), SIZE.wide))}
      ${card('Users with a valid search per day', readings.usersReading(days, summary), chart('users-per-day', 'Users with a valid search per day with the 7-day average', usersPerDayChart(days), SIZE.wide))}
      ${card('Valid searches by type', readings.typeMixReading(data.daysByType), chart('searches-by-type', 'Valid searches per day stacked by type', searchesByTypeChart(data.daysByType), SIZE.wide))}
      ${card('Weekday pattern', readings.weekdayReading(data.weekdays), html`${chart('weekday-pattern', 'Average valid searches per weekday', weekdayChart(data.weekdays, summary.avgValidSearchesPerDay), SIZE.half)}${weekdayTable(data)}`, false)}
      ${card('Engagement by type', readings.typeEngagementReading(data.byType), html`${chart('engagement-by-type', 'Clicks per valid search by type', engagementByTypeChart(data.byType), SIZE.half)}${typeTable(data)}`, false)}
      ${card('Most engaging searches', readings.topSearchReading(data.topSearches, data.topClickCount), topSearchesContent(data))}
      ${card('Days that stand out', readings.standoutReading(data.standouts, summary.numDays), html`${chart('standout-days', 'z-score of each day against the period average', standoutChart(days), SIZE.wide)}${standoutTable(data)}`)}
    </div>`;
}

function kpi(label: string, value: string, sub: string, alert = false): SafeHtml {
  return html`<div class="kpi${alert ? ' alert' : ''}">
    <div class="label">${label}</div>
    <div class="value">${value}</div>
    <div class="sub">${sub}</div>
  </div>`;
}

function kpis(data: ReportData): SafeHtml {
  const { summary } = data;
  const busiest = readings.busiestDay(data.days);
  const [top] = data.topSearches;
  const standoutDays = new Set(data.standouts.map((s) => s.day)).size;
  return html`<section class="kpis">
    ${kpi('Valid searches', formatCount(summary.numValidSearches), `${formatAverage(summary.avgValidSearchesPerDay ?? 0)} a day \u00b7 ${formatCount(summary.numUniqueSearchIds)} unique ids`)}
    ${kpi('Users', formatCount(summary.numDistinctUsers), `${formatAverage(summary.avgUsersPerDay ?? 0)} a day with a valid search`)}
    ${kpi('Busiest day', busiest === undefined ? '\u2013' : formatDay(busiest.day), busiest === undefined ? '' : `${formatCount(busiest.numValidSearches)} valid searches`)}
    ${kpi('Top search', top === undefined ? '\u2013' : `search ${top.searchId}`, top === undefined ? 'no valid search' : `${plural(top.totalClicks, 'click')} \u00b7 ${plural(top.numValidSearches, 'valid search', 'valid searches')} \u00b7 ${plural(top.numUsers, 'user')}`)}
    ${kpi('Stand-out days', formatCount(standoutDays), `|z| \u2265 ${STANDOUT_Z} against the period`, standoutDays > 0)}
  </section>`;
}

function swatch(bucket: string): SafeHtml {
  return html`<span class="swatch" style="background:${TYPE_COLORS[bucket] ?? '#999'}"></span>`;
}

function typeTable(data: ReportData): SafeHtml {
  const rows = data.byType.map(
    (t) =>
      html`<tr>
        <td>${swatch(t.typeBucket)}${typeLabel(t.typeBucket)}</td>
        <td class="num">${formatCount(t.numValidSearches)}</td>
        <td class="num">${orDash(t.shareOfSearchesPct, formatPct)}</td>
        <td class="num">${orDash(t.shareOfUsersPct, formatPct)}</td>
        <td class="num">${orDash(t.listingsPerSearch, formatRatio)}</td>
      </tr>`,
  );
  return html`<table class="data">
    <thead>
      <tr>
        <th>Type</th>
        <th class="num">Searches</th>
        <th class="num">Share</th>
        <th class="num">Of users</th>
        <th class="num">Listings / search</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function weekdayTable(data: ReportData): SafeHtml {
  const rows = data.weekdays.map(
    (w) =>
      html`<tr>
        <td>${w.weekday}</td>
        <td class="num">${w.numDays}</td>
        <td class="num">${formatAverage(w.avgValidSearches)}</td>
        <td class="num">${formatAverage(w.avgUsers)}</td>
        <td class="num">${orDash(w.searchesVsPeriodPct, formatSignedPct)}</td>
      </tr>`,
  );
  return html`<table class="data">
    <thead>
      <tr>
        <th>Weekday</th>
        <th class="num">Days</th>
        <th class="num">Searches</th>
        <th class="num">Users</th>
        <th class="num">vs average</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function topSearchesContent(data: ReportData): SafeHtml {
  if (data.topSearches.length === 0) return html`<p class="empty">No valid search in the period.</p>`;
  const rows = data.topSearches.map(
    (s) =>
      html`<tr>
        <td class="num">${s.rank}</td>
        <td>${s.searchId}</td>
        <td class="num">${formatCount(s.totalClicks)}</td>
        <td class="num">${formatCount(s.numValidSearches)}</td>
        <td class="num">${formatCount(s.numUsers)}</td>
        <td class="num">${formatCount(s.numDays)}</td>
        <td class="num">${formatRatio(s.clicksPerSearch)}</td>
      </tr>`,
  );
  const height = Math.max(240, 70 + data.topSearches.length * 30);
  return html`<div class="split">
    ${chart('top-searches', 'Total clicks of the most engaging searches', topSearchesChart(data.topSearches), { width: 560, height })}
    <table class="data">
      <thead>
        <tr>
          <th class="num">#</th>
          <th>Search id</th>
          <th class="num">Clicks</th>
          <th class="num">Valid searches</th>
          <th class="num">Users</th>
          <th class="num">Days</th>
          <th class="num">Clicks each</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

function standoutTable(data: ReportData): SafeHtml {
  if (data.standouts.length === 0) return html``;
  const rows = data.standouts.map(
    (s) =>
      html`<tr class="hot">
        <td>${formatDay(s.day)}</td>
        <td>${s.measure === 'users' ? 'Users' : 'Valid searches'}</td>
        <td class="num">${formatCount(s.value)}</td>
        <td class="num">${formatAverage(s.periodMean)}</td>
        <td class="num">${orDash(s.vsMeanPct, formatSignedPct)}</td>
        <td class="num">${formatZ(s.zScore)}</td>
      </tr>`,
  );
  return html`<table class="data">
    <thead>
      <tr>
        <th>Day</th>
        <th>Measure</th>
        <th class="num">Value</th>
        <th class="num">Period average</th>
        <th class="num">vs average</th>
        <th class="num">z-score</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function definitions(): SafeHtml {
  return html`<footer class="notes">
    <h3>How this is counted</h3>
    <dl>
      <dt>Valid search</dt>
      <dd>An enabled search with at least 3 clicks.</dd>
      <dt>Users</dt>
      <dd>
        People with at least one valid search that day; over the period, each person once. Shares by type
        count user-days.
      </dd>
      <dt>Most engaging</dt>
      <dd>
        The search id with the most clicks in total over all its valid searches (every user and day); a tie
        goes to the one more users ran, then the lower search id.
      </dd>
      <dt>7-day average</dt>
      <dd>The mean of the last 7 days, shown once 7 consecutive days are loaded.</dd>
      <dt>Stands out</dt>
      <dd>
        Valid searches or users at least ${STANDOUT_Z} standard deviations from the period average (|z| ≥
        ${STANDOUT_Z}).
      </dd>
      <dt>Source</dt>
      <dd>Tables search_stats and valid_searches; every figure comes from a query in sql/questions.</dd>
    </dl>
  </footer>`;
}
