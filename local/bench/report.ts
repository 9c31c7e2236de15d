import type { CaseKind } from './cases';
import type { CaseResult } from './child';
import type { DayFormat, Generation } from './data';

/** Every run of one case on one day file, and the run reported (the fastest: least disturbed). */
export interface Measurement {
  readonly scale: number;
  readonly format: DayFormat;
  readonly kind: CaseKind;
  readonly csvBytes: number;
  readonly runs: readonly CaseResult[];
  /** 1-minute load average when the case started. */
  readonly load: number;
}

export const best = (m: Measurement): CaseResult => m.runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));

const MB = 1e6;
const fixed = (value: number, digits: number): string => value.toFixed(digits);

export const mbPerSecond = (m: Measurement): number => m.csvBytes / MB / (best(m).wallMs / 1000);

/** The case's throughput as a share of the bare parse of the same file (same runs, best of each). */
export function shareOfBare(m: Measurement, all: readonly Measurement[]): number | undefined {
  const bare = all.find((o) => o.kind === 'bare' && o.scale === m.scale && o.format === m.format);
  return bare === undefined ? undefined : best(bare).wallMs / best(m).wallMs;
}

const CASE_NAMES: Record<CaseKind, string> = {
  s3: 'clean, S3 in/out (cleanDay)',
  file: 'clean, file in (cleanCsvBytes)',
  bare: 'bare papaparse',
  's3-copy': 'S3 in, inflate, S3 out, no parsing',
};

const HEADER = [
  'Day',
  'Input',
  'Case',
  'CSV MB',
  'Rows',
  'Wall s',
  'MB/s',
  'k rows/s',
  'CPU s',
  'Peak RSS MB',
  'vs bare',
  'Load',
];

/** The results as a markdown table (one row per case and file, best run of each). */
export function markdownTable(all: readonly Measurement[]): string {
  const rows = all.map((m) => {
    const b = best(m);
    const share = shareOfBare(m, all);
    return [
      `${m.scale}x`,
      m.format,
      CASE_NAMES[m.kind],
      fixed(m.csvBytes / MB, 1),
      m.kind === 's3-copy' ? '-' : String(b.rows),
      `${fixed(b.wallMs / 1000, 2)}${m.runs.length > 1 ? ` (best of ${m.runs.length})` : ''}`,
      fixed(mbPerSecond(m), 0),
      m.kind === 's3-copy' ? '-' : fixed(b.rows / (b.wallMs / 1000) / 1000, 0),
      fixed(b.cpuMs / 1000, 2),
      fixed(Math.max(...m.runs.map((r) => r.peakRssMb)), 0),
      m.kind === 'bare' || share === undefined ? '-' : `${fixed(share * 100, 0)}%`,
      fixed(m.load, 1),
    ];
  });
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The clean step's targets (throughput near a bare parse, bounded memory), at the largest scale measured. */
export function checkTargets(all: readonly Measurement[]): TargetCheck[] {
  const scales = [...new Set(all.map((m) => m.scale))].sort((a, b) => a - b);
  const top = scales[scales.length - 1];
  const low = scales[0];
  const checks: TargetCheck[] = [];
  for (const m of all.filter((o) => o.scale === top && (o.kind === 's3' || o.kind === 'file'))) {
    const share = shareOfBare(m, all);
    if (share !== undefined) {
      checks.push({
        target: `${top}x ${m.format} ${m.kind}: throughput >= 60% of bare papaparse`,
        measured: `${fixed(share * 100, 0)}%`,
        met: share >= 0.6,
      });
    }
    const peak = Math.max(...m.runs.map((r) => r.peakRssMb));
    checks.push({
      target: `${top}x ${m.format} ${m.kind}: peak RSS < 256 MB`,
      measured: `${fixed(peak, 0)} MB`,
      met: peak < 256,
    });
    const base = all.find((o) => o.scale === low && o.format === m.format && o.kind === m.kind);
    if (base !== undefined && low !== top) {
      const basePeak = Math.max(...base.runs.map((r) => r.peakRssMb));
      checks.push({
        target: `${top}x ${m.format} ${m.kind}: peak RSS <= 1.5 x the ${low}x figure (${fixed(basePeak, 0)} MB)`,
        measured: `${fixed(peak / basePeak, 2)} x`,
        met: peak <= 1.5 * basePeak,
      });
    }
  }
  return checks;
}

/** A generated day file's generator run, for the report. */
export interface GeneratedFile {
  readonly scale: number;
  readonly format: string;
  readonly bytes: number;
  readonly generation?: Generation;
}

export function generatorTable(files: readonly GeneratedFile[]): string {
  const rows = files.map((f) =>
    f.generation === undefined
      ? `| ${f.scale}x | ${f.format} | ${(f.bytes / 1e6).toFixed(1)} | kept from an earlier run (not measured) | - |`
      : `| ${f.scale}x | ${f.format} | ${(f.bytes / 1e6).toFixed(1)} | ${(f.generation.wallMs / 1000).toFixed(1)} | ` +
        `${f.generation.peakRssMb.toFixed(0)} |`,
  );
  return [
    '| Day | Format | File MB | Wall s | Peak RSS MB |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
