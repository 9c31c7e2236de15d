import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { parseBenchArgs } from '../../local/bench/args';
import { bundleSize } from '../../local/bench/bundles';
import type { CaseResult } from '../../local/bench/child';
import { hugeTable, type HugeResult } from '../../local/bench/huge';
import { checkTargets, generatorTable, markdownTable, type Measurement } from '../../local/bench/report';

const run = (wallMs: number, peakRssMb: number): CaseResult => ({
  rows: 1000,
  wallMs,
  cpuMs: wallMs,
  peakRssMb,
  atPeak: { rssMb: peakRssMb, heapTotalMb: 10, heapUsedMb: 5, externalMb: 5 },
});

const measurement = (scale: number, kind: Measurement['kind'], runs: CaseResult[]): Measurement => ({
  scale,
  format: 'csv',
  kind,
  csvBytes: 100e6,
  runs,
  load: 1.5,
});

const RESULTS: Measurement[] = [
  measurement(1, 'file', [run(20, 70)]),
  measurement(1, 'bare', [run(10, 60)]),
  measurement(100, 'file', [run(1500, 120), run(1000, 110)]),
  measurement(100, 'bare', [run(700, 100)]),
];

describe('benchmark report', () => {
  test('a markdown table row per case, with the best run and its share of the bare parse', () => {
    const lines = markdownTable(RESULTS).split('\n');
    expect(lines).toHaveLength(2 + RESULTS.length);
    expect(lines[0]).toMatch(/^\| Day \| Input \| Case \|/);
    expect(lines[4]).toBe(
      '| 100x | csv | clean, file in (cleanCsvBytes) | 100.0 | 1000 | 1.00 (best of 2) | 100 | 1 | 1.00 | 120 | 70% | 1.5 |',
    );
    expect(lines[5]).toContain('| bare papaparse |');
  });

  test('checks the performance targets on the largest day: share of bare, RSS cap, RSS growth', () => {
    expect(checkTargets(RESULTS)).toEqual([
      { target: '100x csv file: throughput >= 60% of bare papaparse', measured: '70%', met: true },
      { target: '100x csv file: peak RSS < 256 MB', measured: '120 MB', met: true },
      { target: '100x csv file: peak RSS <= 1.5 x the 1x figure (70 MB)', measured: '1.71 x', met: false },
    ]);
  });

  test('--quick measures 1x and 10x; unknown cases are refused', () => {
    expect(parseBenchArgs(['--quick']).scales).toEqual([1, 10]);
    expect(parseBenchArgs([]).scales).toEqual([1, 10, 100]);
    expect(() => parseBenchArgs(['--cases', 'file,gpu'])).toThrow(/unknown case: gpu/);
  });

  test('the 1,000x scale-out case is off unless asked for, alone with --huge-only', () => {
    expect(parseBenchArgs([]).huge).toBe('off');
    expect(parseBenchArgs(['--huge']).huge).toBe('with');
    expect(parseBenchArgs(['--huge-only']).huge).toBe('only');
  });

  test('the 1,000x case reports wall, MB/s of CSV and peak RSS of the scale-out run beside the bare parse', () => {
    const huge: HugeResult = {
      scale: 1000,
      zipBytes: 170e6,
      csvBytes: 2000e6,
      scaleOut: { wallMs: 1_000_000, peakRssMb: 612.4, summary: '' },
      bare: run(20_000, 130),
    };
    const lines = hugeTable(huge).split('\n');
    expect(lines[2]).toBe(
      '| 1000x | zip | run --mode scale-out (whole day, local) | 2000.0 | 1000.0 | 2.0 | 612 |',
    );
    expect(lines[3]).toBe('| 1000x | zip | bare papaparse | 2000.0 | 20.0 | 100.0 | 130 |');
  });

  test("the generator's wall time and peak RSS are reported for the files generated in the run", () => {
    const lines = generatorTable([
      { scale: 100, format: 'zip', bytes: 17.2e6, generation: { wallMs: 41_000, peakRssMb: 95.6 } },
      { scale: 100, format: 'csv', bytes: 200.4e6 },
    ]).split('\n');
    expect(lines[2]).toBe('| 100x | zip | 17.2 | 41.0 | 96 |');
    expect(lines[3]).toBe('| 100x | csv | 200.4 | kept from an earlier run (not measured) | - |');
  });

  test('bundle inputs are grouped by package: scoped, unscoped and our own code', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-bundle-'));
    const entry = path.join(dir, 'entry.ts');
    const own = path.resolve(__dirname, '../../lambdas/domain/seen-users.ts');
    await writeFile(
      entry,
      `export { HttpAuthLocation } from ${JSON.stringify(require.resolve('@smithy/types'))};\n` +
        `export { strToU8 } from ${JSON.stringify(require.resolve('fflate'))};\n` +
        `export { NOT_SEEN } from ${JSON.stringify(own)};\n`,
    );
    try {
      const size = await bundleSize(entry, path.join(dir, 'out'), dir);
      expect(size.heaviest.map((h) => h.name).sort()).toEqual(['(project)', '@smithy/types', 'fflate']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
