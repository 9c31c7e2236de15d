import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CASE_KINDS, type CaseKind } from './cases';
import type { DayFormat } from './data';

export interface BenchOptions {
  /** Multiples of today's day (10,000 users). */
  readonly scales: readonly number[];
  readonly formats: readonly DayFormat[];
  readonly kinds: readonly CaseKind[];
  /** Runs per case at scales up to 10x; the best (least disturbed) is reported. */
  readonly runs: number;
  /** Runs per case above 10x (each 100x run takes seconds of both cores). */
  readonly bigRuns: number;
  /** Where the generated day files are kept between runs (they take a while to make at 100x). */
  readonly dataDir: string;
  /** Writes a CPU profile of every file-case run there (node --cpu-prof). */
  readonly cpuProfDir?: string;
  /** Extra Node flags for the measured processes, e.g. --max-old-space-size=512. */
  readonly nodeFlags: readonly string[];
  readonly bundles: boolean;
  /** Writes the raw results as JSON there. */
  readonly jsonFile?: string;
  /**
   * The 1,000x scale-out case (huge.ts): `off` (default: it takes many minutes), `with` the other
   * cases, or `only` it.
   */
  readonly huge: 'off' | 'with' | 'only';
}

export const USAGE = `npm run bench -- [options]
  --quick              1x and 10x only
  --scales 1,10,100    multiples of today's 10,000 users (default 1,10,100)
  --formats csv,zip    (default both)
  --cases LIST         of s3,file,bare,s3-copy (default all four)
  --runs N             runs per case up to 10x, best reported (default 3)
  --big-runs N         runs per case above 10x (default 1)
  --data-dir DIR       generated day files, kept for the next run (default $TMPDIR/search-stats-bench)
  --cpu-prof DIR       CPU profiles of the file cases
  --node-flag FLAG     a Node flag for the measured processes (repeatable)
  --no-bundles         skip the Lambda bundle report
  --json FILE          raw results as JSON
  --huge               also run a 1,000x day through run --mode scale-out (minutes; ~10 GB of disk)
  --huge-only          only that case (no other case, no bundle report)`;

const list = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

function oneOf<T extends string>(values: string[], allowed: readonly T[], what: string): T[] {
  for (const v of values) if (!allowed.includes(v as T)) throw new Error(`unknown ${what}: ${v}`);
  return values as T[];
}

function positive(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got ${value}`);
  return n;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      scales: { type: 'string' },
      formats: { type: 'string', default: 'csv,zip' },
      cases: { type: 'string', default: CASE_KINDS.join(',') },
      runs: { type: 'string', default: '3' },
      'big-runs': { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: path.join(tmpdir(), 'search-stats-bench') },
      'cpu-prof': { type: 'string' },
      'node-flag': { type: 'string', multiple: true, default: [] },
      'no-bundles': { type: 'boolean', default: false },
      json: { type: 'string' },
      huge: { type: 'boolean', default: false },
      'huge-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const scales = (values.scales ?? (values.quick ? '1,10' : '1,10,100'))
    .split(',')
    .map((s) => positive(s, 'a scale'));
  return {
    scales,
    formats: oneOf(list(values.formats), ['csv', 'zip'] as const, 'format'),
    kinds: oneOf(list(values.cases), CASE_KINDS, 'case'),
    runs: positive(values.runs, '--runs'),
    bigRuns: positive(values['big-runs'], '--big-runs'),
    dataDir: values['data-dir'],
    ...(values['cpu-prof'] === undefined ? {} : { cpuProfDir: path.resolve(values['cpu-prof']) }),
    nodeFlags: values['node-flag'],
    bundles: !values['no-bundles'],
    ...(values.json === undefined ? {} : { jsonFile: values.json }),
    huge: values['huge-only'] ? 'only' : values.huge ? 'with' : 'off',
  };
}
