import type { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { queryVia, writeReport } from '../../local/report';
import { chromiumBrowser, describeWith } from '../support/required-parts';
import { demoPeriod } from './support/demo-period';
import { createWarehouse, loadRows } from './support/warehouse';

const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
/**
 * The setup's budget. Chromium's launch gets what is left of it (less a margin), so the launch
 * settles, and stops its own 180 s timer and browser, before Jest gives up on the hook: a launch
 * still pending after a timed-out hook kept the worker alive ("failed to exit gracefully").
 */
const SETUP_MS = 120_000;

describeWith(chromiumBrowser(), 'the report in headless Chromium', (executablePath) => {
  let db: PGlite;
  let browser: Browser;
  let reportFile: string;

  beforeAll(async () => {
    const started = Date.now();
    db = await createWarehouse();
    const demo = demoPeriod();
    await loadRows(db, demo.stats, demo.searches);
    mkdirSync(ARTIFACTS, { recursive: true });
    reportFile = await writeReport(queryVia(db), path.join(ARTIFACTS, 'report.html'), {
      generatedAt: new Date('2021-07-25T06:30:00Z'),
    });
    browser = await chromium.launch({
      executablePath,
      timeout: Math.max(1_000, SETUP_MS - 5_000 - (Date.now() - started)),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await db?.close();
  });

  test('loads with no console error, no network request, and a non-empty SVG in every chart', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });

    await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });

    const charts = await page.$$eval('[data-chart]', (elements) =>
      elements.map((element) => {
        const svg = element.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          name: element.getAttribute('data-chart'),
          shapes: svg?.querySelectorAll('path, rect, text').length ?? 0,
          width: Math.round(box?.width ?? 0),
          height: Math.round(box?.height ?? 0),
        };
      }),
    );
    expect(charts).toHaveLength(7);
    for (const chart of charts) {
      expect(chart).toEqual({
        name: expect.any(String),
        shapes: expect.any(Number),
        width: expect.any(Number),
        height: expect.any(Number),
      });
      expect({
        name: chart.name,
        drawn: chart.shapes > 10 && chart.width > 200 && chart.height > 150,
      }).toEqual({
        name: chart.name,
        drawn: true,
      });
    }
    expect(await page.locator('h1').innerText()).toBe('Search engagement');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);

    const screenshot = path.join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(existsSync(screenshot)).toBe(true);
    await page.close();
  });

  test('on a 10-day period, every chart names both axes and no label is cut at a chart edge', async () => {
    const tenDays = demoPeriod('2021-07-02', 10, '2021-07-08');
    await loadRows(db, tenDays.stats, tenDays.searches);
    const file = await writeReport(queryVia(db), path.join(ARTIFACTS, 'report-10-days.html'), {
      generatedAt: new Date('2021-07-12T06:30:00Z'),
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const charts = await page.$$eval('[data-chart]', (elements) =>
      elements.map((element) => {
        const svg = element.querySelector('svg');
        const box = svg?.getBoundingClientRect() ?? { left: 0, right: 0, top: 0, bottom: 0 };
        const texts = [...(svg?.querySelectorAll('text') ?? [])];
        return {
          name: element.getAttribute('data-chart') ?? '',
          texts: texts.map((t) => t.textContent ?? ''),
          cut: texts
            .filter((t) => {
              const r = t.getBoundingClientRect();
              return (
                r.width > 0 &&
                (r.left < box.left - 1 ||
                  r.right > box.right + 1 ||
                  r.top < box.top - 1 ||
                  r.bottom > box.bottom + 1)
              );
            })
            .map((t) => t.textContent),
        };
      }),
    );
    const AXES: Record<string, [string, string]> = {
      'searches-per-day': ['Day (UTC)', 'Valid searches'],
      'users-per-day': ['Day (UTC)', 'Users with a valid search'],
      'searches-by-type': ['Day (UTC)', 'Valid searches'],
      'weekday-pattern': ['Weekday', 'Valid searches a day (average)'],
      'engagement-by-type': ['Search type', 'Clicks per valid search'],
      'top-searches': ['Clicks in total (all its valid searches)', 'Search id'],
      'standout-days': ['Day (UTC)', 'Standard deviations from the average'],
    };
    expect(charts.map((c) => c.name).sort()).toEqual(Object.keys(AXES).sort());
    for (const chart of charts) {
      expect({ chart: chart.name, cut: chart.cut }).toEqual({ chart: chart.name, cut: [] });
      for (const title of AXES[chart.name] ?? [])
        expect({ chart: chart.name, has: chart.texts.includes(title) }).toEqual({
          chart: chart.name,
          has: true,
        });
    }
    // The last day of the period is labelled on the day axes.
    expect(charts.find((c) => c.name === 'searches-per-day')?.texts).toContain('11 Jul');
    await page.close();
  });
});
