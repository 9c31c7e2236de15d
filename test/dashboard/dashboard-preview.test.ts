import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { chromium, type Browser } from 'playwright-core';

import { WarehouseUnavailable } from '../../lambdas/shared/errors';
import { GRID_UNIT, writeLocalDashboard } from '../../local/dashboard';
import { runLocalBackfill } from '../../local/runner/backfill';
import { synthesizePipeline, type SynthesizedPipeline } from '../../local/runner/definition';
import { dayFileName } from '../../local/runner/generate';
import { withLocalPipeline } from '../../local/runner/runner';
import type { TaskInterceptor } from '../../local/runner/tasks';
import { DAYS, generatedInput } from '../e2e/fixtures';
import { expectedStats } from '../e2e/independent-counts';
import { chromiumBrowser, describeWith } from '../support/required-parts';
import { widgetAttributes, type WidgetAttributes } from './support/page';

const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const [DAY1 = '', DAY2 = '', DAY3 = ''] = DAYS;
/** Two lines the contract rejects and one exact repeat, appended to DAY2's file. */
const BAD_LINES = ['900001,not a search', '900002,not a search'];

let synthesized: SynthesizedPipeline;
let root: string;
let page: string;
let widgets: WidgetAttributes[];
/** Per day, counted here from the day files (not by the pipeline). */
const expected = new Map<
  string,
  { read: number; kept: number; duplicate: number; rejected: number; loaded: number }
>();

/** The data lines of a day file (after the header). */
function dataLines(zipFile: Uint8Array): { name: string; header: string; lines: string[] } {
  const [name, bytes] = Object.entries(unzipSync(zipFile))[0] ?? ['', new Uint8Array()];
  const [header = '', ...lines] = new TextDecoder().decode(bytes).split(/\r?\n/);
  return { name, header, lines: lines.filter((l) => l !== '') };
}

beforeAll(async () => {
  synthesized = synthesizePipeline();
  let input: string;
  ({ root, input } = await generatedInput());
  const file2 = path.join(input, dayFileName(DAY2));
  const day2 = dataLines(await readFile(file2));
  const withDefects = [...day2.lines, ...BAD_LINES, day2.lines[0] ?? ''];
  await writeFile(
    file2,
    zipSync({ [day2.name]: new TextEncoder().encode(`${[day2.header, ...withDefects].join('\n')}\n`) }),
  );
  for (const day of DAYS) {
    const file = path.join(input, dayFileName(day));
    const { lines } = dataLines(await readFile(file));
    const defects =
      day === DAY2 ? { duplicate: 1, rejected: BAD_LINES.length } : { duplicate: 0, rejected: 0 };
    expected.set(day, {
      read: lines.length,
      kept: lines.length - defects.duplicate - defects.rejected,
      ...defects,
      loaded: expectedStats(file).num_searches,
    });
  }
  // DAY3 arrives late: its first run fails (Validate retries, then gives up); a back-fill runs it again.
  const early = path.join(root, 'early');
  await mkdir(early, { recursive: true });
  for (const day of [DAY1, DAY2])
    await copyFile(path.join(input, dayFileName(day)), path.join(early, dayFileName(day)));
  let loadFailures = 0;
  const intercept: TaskInterceptor = (step, event, next) => {
    if (step === 'Load' && loadFailures === 0 && JSON.stringify(event).includes(DAY3)) {
      loadFailures++;
      throw new WarehouseUnavailable(`warehouse busy (${DAY3})`);
    }
    return next(event);
  };
  const workdir = path.join(root, 'work');
  await withLocalPipeline({ workdir, synthesized, intercept }, async (pipeline) => {
    await pipeline.uploadInputs(early, DAYS);
    await pipeline.runDays(DAYS, { retryIntervalMs: 0, concurrency: 1 });
    await pipeline.uploadInputs(input, [DAY3]);
    await runLocalBackfill(pipeline, { from: DAY3, to: DAY3 }, { synthesized, retryIntervalMs: 0 });
  });
  await mkdir(ARTIFACTS, { recursive: true });
  const file = await writeLocalDashboard({ workdir }, path.join(ARTIFACTS, 'dashboard-preview.html'), {
    generatedAt: new Date('2021-07-04T06:30:00Z'),
  });
  page = await readFile(file, 'utf8');
  widgets = widgetAttributes(page);
}, 300_000);
afterAll(() => rm(root, { recursive: true, force: true }));

const seriesOf = (title: string, label: string): WidgetAttributes['series'][string] | undefined =>
  widgets.find((w) => w.title === title)?.series[label];
const perDay = (
  pick: (e: { read: number; kept: number; duplicate: number; rejected: number; loaded: number }) => number,
) =>
  DAYS.map((day) => [
    day,
    pick(expected.get(day) ?? { read: 0, kept: 0, duplicate: 0, rejected: 0, loaded: 0 }),
  ]);

test("the daily volumes and rejected share plotted are the warehouse's, counted independently from the files", () => {
  expect(seriesOf('Daily volumes (rows)', 'RowsRead')).toEqual(perDay((e) => e.read));
  expect(seriesOf('Daily volumes (rows)', 'RowsKept')).toEqual(perDay((e) => e.kept));
  expect(seriesOf('Daily volumes (rows)', 'RowsDuplicate')).toEqual(perDay((e) => e.duplicate));
  expect(seriesOf('Daily volumes (rows)', 'RowsRejected')).toEqual(perDay((e) => e.rejected));
  expect(seriesOf('Daily volumes (rows)', 'RowsLoaded')).toEqual(perDay((e) => e.loaded));
  const share = seriesOf('Rejected share (%)', 'RejectedShare') as [string, number][];
  expect(share.map(([day]) => day)).toEqual(DAYS);
  for (const [day, value] of share) {
    const e = expected.get(day);
    expect(value).toBeCloseTo(e ? (e.rejected / e.read) * 100 : NaN, 10);
  }
  // DAY2 sits between the warning line (0.5 %) and the failing one (1 %).
  expect(share[1]?.[1]).toBeGreaterThan(0.5);
  expect(share[1]?.[1]).toBeLessThan(1);
  // "Last 24 hours" shows the latest day.
  const last = widgets.find((w) => w.title === 'Last 24 hours')?.series;
  expect(last?.RowsRead).toEqual([[DAY3, expected.get(DAY3)?.read]]);
  expect(last?.RowsLoaded).toEqual([[DAY3, expected.get(DAY3)?.loaded]]);
});

test('runs, retries and back-fills plotted are what the local executions did; AWS-only metrics say so', () => {
  expect(seriesOf('Runs (daily state machine)', 'succeeded')).toEqual([
    [DAY1, 1],
    [DAY2, 1],
    [DAY3, 1],
  ]);
  expect(seriesOf('Runs (daily state machine)', 'failed')).toEqual([
    [DAY1, 0],
    [DAY2, 0],
    [DAY3, 1],
  ]);
  expect(seriesOf('Runs (daily state machine)', 'throttled')).toBe('no local data');
  expect(seriesOf('Runs (daily state machine)', 'timed out')).toBe('no local data');
  const errors = 'Lambda errors (each one retried or failed a step)';
  expect(seriesOf(errors, 'load')).toEqual([
    [DAY1, 0],
    [DAY2, 0],
    [DAY3, 1],
  ]);
  expect(seriesOf(errors, 'clean')).toEqual([
    [DAY1, 0],
    [DAY2, 0],
    [DAY3, 0],
  ]);
  const validateErrors = seriesOf(errors, 'validate') as [string, number][];
  // The late file: every Validate attempt of DAY3's first run failed (the first try and its retries).
  expect(validateErrors.slice(0, 2)).toEqual([
    [DAY1, 0],
    [DAY2, 0],
  ]);
  expect(validateErrors[2]?.[1]).toBeGreaterThan(1);
  expect(seriesOf(errors, 'validate duration')).toBe('no local data');
  for (const step of ['validate', 'clean', 'load']) {
    const durations = seriesOf('Step duration (max per day, ms)', step) as [string, number][];
    expect(durations.map(([day]) => day)).toEqual(DAYS);
    for (const [, ms] of durations) expect(ms).toBeGreaterThanOrEqual(0);
  }
  const sum = (label: string): number =>
    (seriesOf('Back-fill progress (per hour)', label) as [string, number][]).reduce((a, [, v]) => a + v, 0);
  expect([sum('back-fills started'), sum('back-fills succeeded'), sum('back-fills failed')]).toEqual([
    1, 1, 0,
  ]);
  expect([sum('days succeeded'), sum('days failed')]).toEqual([3, 1]);
  expect(page).toContain('FailedRunsAlarm');
});

describeWith(chromiumBrowser(), 'the dashboard preview in headless Chromium', (executablePath) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath,
      timeout: 100_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  test('each widget sits at its grid place, no label or axis title is cut, every graph names its axes', async () => {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    tab.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    await tab.goto(pathToFileURL(path.join(ARTIFACTS, 'dashboard-preview.html')).href, { waitUntil: 'load' });
    const boxes = await tab.$$eval('section.widget', (sections) => {
      const grid = sections[0]?.closest('.grid')?.getBoundingClientRect() ?? { left: 0, top: 0 };
      type Box = { left: number; right: number; top: number; bottom: number };
      const inside = (inner: Box, outer: Box): boolean =>
        inner.left >= outer.left - 1 &&
        inner.right <= outer.right + 1 &&
        inner.top >= outer.top - 1 &&
        inner.bottom <= outer.bottom + 1;
      return sections.map((section) => {
        const box = section.getBoundingClientRect();
        const svg = section.querySelector('svg');
        const svgBox = svg?.getBoundingClientRect();
        const texts = [...(svg?.querySelectorAll('text') ?? [])].filter(
          (t) => t.getBoundingClientRect().width > 0,
        );
        const html = [
          ...section.querySelectorAll('h2, p, .legend span, .source, .label, .value, .alarm-chip'),
        ];
        return {
          title: section.getAttribute('data-title') ?? '',
          left: Math.round(box.left - grid.left),
          top: Math.round(box.top - grid.top),
          right: Math.round(box.right - grid.left),
          bottom: Math.round(box.bottom - grid.top),
          svgTexts: texts.map((t) => t.textContent ?? ''),
          cutInSvg: svgBox
            ? texts.filter((t) => !inside(t.getBoundingClientRect(), svgBox)).map((t) => t.textContent)
            : [],
          cutInWidget: html
            .filter((e) => e.scrollWidth > e.clientWidth + 1 || !inside(e.getBoundingClientRect(), box))
            .map((e) => e.textContent?.trim()),
        };
      });
    });
    const GUTTER = 5;
    expect(boxes.map((b) => [b.title, b.left, b.top, b.right, b.bottom])).toEqual(
      widgets.map((w) => [
        w.title,
        w.x * GRID_UNIT.width + GUTTER,
        w.y * GRID_UNIT.height + GUTTER,
        (w.x + w.width) * GRID_UNIT.width - GUTTER,
        (w.y + w.height) * GRID_UNIT.height - GUTTER,
      ]),
    );
    for (const b of boxes) {
      expect({ widget: b.title, cut: [...b.cutInSvg, ...b.cutInWidget] }).toEqual({
        widget: b.title,
        cut: [],
      });
    }
    const axes: Record<string, string[]> = {
      'Daily volumes (rows)': ['rows', 'valid searches loaded'],
      'Rejected share (%)': ['% of rows read', 'warning 0.5', 'fails the day 1'],
      'Step duration (max per day, ms)': ['ms'],
      'Load time and input size': ['ms', 'bytes'],
      'Runs (daily state machine)': ['executions'],
      'Lambda errors (each one retried or failed a step)': ['errors', 'ms'],
      'Back-fill progress (per hour)': ['back-fill executions', 'day executions'],
    };
    for (const [title, names] of Object.entries(axes)) {
      const texts = boxes.find((b) => b.title === title)?.svgTexts ?? [];
      expect({ title, missing: names.filter((n) => !texts.includes(n)) }).toEqual({ title, missing: [] });
    }
    expect(problems).toEqual([]);
    await tab.screenshot({ path: path.join(ARTIFACTS, 'dashboard-preview.png'), fullPage: true });
    await tab.close();
  });
});
