/**
 * `npm run bench`: the clean step's benchmark. Generates day files of 1x, 10x and 100x today's size (CSV
 * and zip), runs each through the clean step (with the embedded S3, and from the file) and through
 * a bare papaparse parse, each run in a fresh process, and prints a machine description, a markdown
 * table for the README, the targets met or not, and the Lambda bundle sizes.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { toCompactDate } from '../../lambdas/domain/calendar';
import type { PipelineConfig } from '../../lambdas/shared/function-env';
import type { ValidatedDay } from '../../lambdas/shared/step-payloads';
import { startLocalS3, type LocalS3 } from '../runner/s3-server';
import { parseBenchArgs, USAGE, type BenchOptions } from './args';
import { bundleSize, bundleTable, lambdaEntries } from './bundles';
import type { CaseKind, CaseSpec } from './cases';
import type { CaseResult } from './child';
import { BENCH_DAY, dayFiles, type DayFile } from './data';
import { hugeTable, measureHuge, type HugeResult } from './huge';
import { describeMachine, loadAverage, machineLine } from './machine';
import { profileSummary } from './profile-summary';
import {
  checkTargets,
  generatorTable,
  markdownTable,
  mbPerSecond,
  type GeneratedFile,
  type Measurement,
} from './report';
import { bundleChild, runChild } from './run-child';

const ROOT = path.resolve(__dirname, '../..');
const INCOMING = 'incoming';
const CLEAN = 'clean';
const CONFIG: PipelineConfig = {
  incomingBucket: INCOMING,
  incomingPrefix: 'user-data/',
  cleanBucket: CLEAN,
  cleanPrefix: 'user-data-clean/',
  rejectedThreshold: 0.01,
  codeVersion: 'bench',
  // One day at a time, nothing to compare with: the guard reads the (absent) previous records as on AWS.
  volumeMinShare: 0.1,
  volumeLookbackDays: 7,
};

const say = (text: string): void => void process.stdout.write(`${text}\n`);
const progress = (text: string): void => void process.stderr.write(`${text}\n`);

/** Puts the day file into the embedded S3 and returns what the validate step would pass on. */
async function upload(s3: LocalS3, day: DayFile): Promise<ValidatedDay> {
  const key = `${CONFIG.incomingPrefix}x${day.scale}/session_user_data${toCompactDate(BENCH_DAY)}.${day.format}`;
  const out = await s3.client.send(
    new PutObjectCommand({
      Bucket: INCOMING,
      Key: key,
      Body: createReadStream(day.file),
      ContentLength: day.bytes,
    }),
  );
  return {
    date: BENCH_DAY,
    compactDate: toCompactDate(BENCH_DAY),
    source: { bucket: INCOMING, key, etag: (out.ETag ?? '').replaceAll('"', ''), bytes: day.bytes },
    runId: `bench-x${day.scale}-${day.format}`,
  };
}

async function measure(
  options: BenchOptions,
  work: string,
  child: string,
  generated: GeneratedFile[],
): Promise<Measurement[]> {
  if (options.cpuProfDir !== undefined) await mkdir(options.cpuProfDir, { recursive: true });
  const s3 = options.kinds.some((kind) => kind === 's3' || kind === 's3-copy')
    ? await startLocalS3({ directory: path.join(work, 's3'), buckets: [INCOMING, CLEAN] })
    : undefined;
  const measurements: Measurement[] = [];
  try {
    for (const scale of options.scales) {
      progress(`generating the ${scale}x day files (kept in ${options.dataDir})...`);
      const files = await dayFiles(options.dataDir, scale);
      for (const f of [files.zip, files.csv]) generated.push(f);
      for (const format of options.formats) {
        const day = files[format];
        const validated = s3 === undefined ? undefined : await upload(s3, day);
        const runs = scale > 10 ? options.bigRuns : options.runs;
        const load = loadAverage();
        const results = new Map<CaseKind, CaseResult[]>(options.kinds.map((kind) => [kind, []]));
        // Runs of the cases alternate, so that each case sees the shared machine in the same state.
        for (let run = 1; run <= runs; run++) {
          for (const kind of options.kinds) {
            const spec: CaseSpec = {
              kind,
              file: day.file,
              date: BENCH_DAY,
              ...(validated && s3 ? { s3: { endpoint: s3.endpoint, day: validated, config: CONFIG } } : {}),
            };
            const label = `x${scale}-${format}-${kind}-run${run}`;
            const result = await runChild(child, spec, {
              nodeFlags: options.nodeFlags,
              label,
              ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
            });
            results.get(kind)?.push(result);
            progress(
              `  ${label}: ${(result.wallMs / 1000).toFixed(2)} s, ${result.peakRssMb.toFixed(0)} MB peak RSS ` +
                `(load ${loadAverage()})`,
            );
          }
        }
        for (const [kind, caseRuns] of results) {
          const m: Measurement = { scale, format, kind, csvBytes: day.csvBytes, runs: caseRuns, load };
          progress(`${scale}x ${format} ${kind}: best ${mbPerSecond(m).toFixed(0)} MB/s`);
          measurements.push(m);
        }
      }
    }
  } finally {
    await s3?.close();
  }
  return measurements;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const machine = describeMachine();
  const loadBefore = loadAverage();
  const work = await mkdtemp(path.join(tmpdir(), 'search-stats-bench-run-'));
  try {
    const child = await bundleChild(work, options.cpuProfDir !== undefined);
    const generated: GeneratedFile[] = [];
    const measurements = options.huge === 'only' ? [] : await measure(options, work, child, generated);
    let huge: HugeResult | undefined;
    if (options.huge !== 'off') {
      huge = await measureHuge(
        { dataDir: options.dataDir, nodeFlags: options.nodeFlags, progress },
        child,
        work,
      );
      generated.push({
        scale: huge.scale,
        format: 'zip',
        bytes: huge.zipBytes,
        ...(huge.generation ? { generation: huge.generation } : {}),
      });
    }
    if (options.jsonFile !== undefined) {
      await writeFile(
        options.jsonFile,
        JSON.stringify({ machine, loadBefore, measurements, generated, huge }, null, 2),
      );
    }
    say(`Machine: ${machineLine(machine)}.`);
    say(`Load average (1 min): ${loadBefore} before, ${loadAverage()} after (the machine is shared).`);
    say('\n## Day file generation (the streaming generator, each in a fresh process)\n');
    say(generatorTable(generated));
    if (huge !== undefined) {
      say(`\n## ${huge.scale}x through the local scale-out path\n`);
      say(hugeTable(huge));
      say(`\nThe run's summary:\n\n${huge.scaleOut.summary}`);
    }
    if (options.huge === 'only') return;
    say(`\n## Clean step benchmark\n`);
    say(
      'Each run in a fresh process; best of the runs shown; MB/s and rows/s are of the CSV inside ' +
        '(zip: after inflating); "vs bare" is throughput relative to the bare papaparse parse of the same file.\n',
    );
    say(markdownTable(measurements));
    say('\nTargets (README, Performance):');
    for (const check of checkTargets(measurements)) {
      say(`- [${check.met ? 'x' : ' '}] ${check.target}: ${check.measured}`);
    }
    if (options.cpuProfDir !== undefined) {
      say(`\n## CPU profiles (${options.cpuProfDir}), last run of each case at the largest scale\n`);
      const top = Math.max(...options.scales);
      const runs = top > 10 ? options.bigRuns : options.runs;
      for (const m of measurements.filter((o) => o.scale === top)) {
        const file = path.join(options.cpuProfDir, `x${top}-${m.format}-${m.kind}-run${runs}.cpuprofile`);
        say(`${await profileSummary(file)}\n`);
      }
    }
    if (options.bundles) {
      const sizes = [];
      for (const entry of await lambdaEntries(ROOT))
        sizes.push(await bundleSize(entry, path.join(work, 'bundles'), ROOT));
      say('\n## Lambda bundles\n');
      say(bundleTable(sizes));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

void main();
