import type { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { queryVia, renderReport, writeReport } from '../../local/report';
import { demoPeriod } from './support/demo-period';
import { SEARCHES, STATS } from './support/period-fixture';
import { createWarehouse, loadRows } from './support/warehouse';

const CHARTS = [
  'searches-per-day',
  'users-per-day',
  'searches-by-type',
  'weekday-pattern',
  'engagement-by-type',
  'top-searches',
  'standout-days',
];
const AT = new Date('2021-07-25T06:30:00Z');

let db: PGlite;

beforeAll(async () => {
  db = await createWarehouse();
});

afterAll(async () => {
  await db.close();
});

describe('on a loaded period', () => {
  let page: string;
  beforeAll(async () => {
    await loadRows(db, STATS, SEARCHES);
    page = await renderReport(queryVia(db), { generatedAt: AT });
  });

  test('is one HTML page that needs no network: no scripts, links, external images or fonts', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    const urls = page.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
  });

  test('has every chart, each an inline SVG drawn by ECharts', () => {
    const charts = [
      ...page.matchAll(
        /<div class="chart" data-chart="([^"]+)" role="img" aria-label="[^"]+">\s*<svg [^>]*>([\s\S]*?)<\/svg>\s*<\/div>/g,
      ),
    ];
    expect(charts.map((m) => m[1])).toEqual(CHARTS);
    for (const [, , inner = ''] of charts) expect(inner).toMatch(/<path /);
  });

  test('leads with the headline numbers of the period', () => {
    expect(page).toContain('1 Jul \u2013 12 Jul 2021');
    expect(page).toContain(`${STATS.reduce((a, s) => a + s.numSearches, 0)}</div>`);
    expect(page).toContain('<div class="value">Wed 7 Jul</div>');
    expect(page).toContain('<div class="value">search 3</div>');
    expect(page).toContain('200 clicks \u00b7 4 valid searches \u00b7 3 users');
  });

  test('gives each chart a reading computed from the data', () => {
    const readings = [...page.matchAll(/<p class="reading">([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(readings).toHaveLength(7);
    expect(readings[0]).toContain('the busiest day was Wed 7 Jul with 30');
    expect(readings[5]).toContain(
      'The most engaging search is search 3: 200 clicks in total over 4 valid searches by 3 users on 2 days. ' +
        'No single valid search can be named instead: 6 valid searches share the top count of 50 clicks.',
    );
    expect(readings[6]).toContain('One day stands out, Wed 7 Jul: 30 valid searches, +');
  });

  test('prints the generation time and how terms are defined', () => {
    expect(page).toContain('generated 2021-07-25 06:30 UTC');
    expect(page).toContain('The search id with the most clicks in total over all its valid searches');
  });
});

test('escapes text from the data (none of it reaches the page as markup) and the title', async () => {
  await loadRows(db, STATS, [
    ...SEARCHES,
    {
      day: '2021-07-05',
      userId: '<img src=x onerror=alert(1)>',
      searchSeq: 1,
      searchId: 9,
      clicks: 90,
      listings: 1,
      type: 'Rental',
      typeBucket: 'rental',
    },
  ]);
  const page = await renderReport(queryVia(db), {
    title: 'Q3 <script>alert("x")</script> & co',
    generatedAt: AT,
  });
  expect(page).not.toContain('<img src=x');
  expect(page).not.toContain('<script>');
  expect(page).toContain('<h1>Q3 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</h1>');
});

test('renders a single loaded day with every chart and says what cannot be told yet', async () => {
  const day = '2021-07-03';
  await loadRows(
    db,
    STATS.filter((s) => s.day === day),
    SEARCHES.filter((s) => s.day === day),
  );
  const page = await renderReport(queryVia(db), { generatedAt: AT });
  expect(page.match(/data-chart=/g)).toHaveLength(7);
  expect(page).toContain('over a single day (Sat 3 Jul)');
  expect(page).toContain('Only Saturdays are loaded so far: no weekday pattern yet.');
  expect(page).toContain('Too few days (1) for any to stand out: it takes at least 6.');
});

test('says there is nothing to show when no day is loaded, without charts', async () => {
  await loadRows(db, [], []);
  const page = await renderReport(queryVia(db), { generatedAt: AT });
  expect(page).toContain('Nothing to show yet');
  expect(page).toContain('No day loaded yet');
  expect(page).not.toContain('data-chart=');
});

test('writeReport writes the page, creating the folder, and returns its absolute path', async () => {
  const demo = demoPeriod();
  await loadRows(db, demo.stats, demo.searches);
  const dir = mkdtempSync(path.join(tmpdir(), 'report-'));
  try {
    const written = await writeReport(queryVia(db), path.join(dir, 'nested', 'report.html'), {
      generatedAt: AT,
    });
    expect(path.isAbsolute(written)).toBe(true);
    expect(existsSync(written)).toBe(true);
    expect(readFileSync(written, 'utf8')).toContain('2 Jul \u2013 24 Jul 2021 \u00b7 23 days loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
