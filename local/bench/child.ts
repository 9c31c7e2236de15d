/**
 * One measurement, in its own process so that peak RSS belongs to this case alone. The parent
 * (main.ts) bundles this file like a Lambda (esbuild, minified) and runs it with the case as JSON in
 * argv[2]; it prints one JSON line (CaseResult) on stdout.
 */
import { runCase, type CaseOutcome, type CaseSpec } from './cases';

export interface CaseResult extends CaseOutcome {
  readonly wallMs: number;
  /** User + system CPU of the whole process (main thread, GC and I/O threads) during the case. */
  readonly cpuMs: number;
  /** process.resourceUsage().maxRSS, the peak over the process's life. */
  readonly peakRssMb: number;
  /** process.memoryUsage() sampled every 100 ms, at the sample with the highest RSS: what the peak is made of. */
  readonly atPeak: MemorySample;
}

export interface MemorySample {
  readonly rssMb: number;
  /** V8's heap, committed (heapTotal) and live (heapUsed). */
  readonly heapTotalMb: number;
  readonly heapUsedMb: number;
  /** Memory outside the JS heap: Buffers, typed arrays (arrayBuffers is part of it). */
  readonly externalMb: number;
}

const MB = 2 ** 20;
/** Each sample reads /proc: often enough to see the peak's make-up, rarely enough to cost < 1%. */
const SAMPLE_MS = 100;

function sample(): MemorySample {
  const m = process.memoryUsage();
  return {
    rssMb: m.rss / MB,
    heapTotalMb: m.heapTotal / MB,
    heapUsedMb: m.heapUsed / MB,
    externalMb: m.external / MB,
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as CaseSpec;
  let atPeak = sample();
  const sampler = setInterval(() => {
    const now = sample();
    if (now.rssMb > atPeak.rssMb) atPeak = now;
  }, SAMPLE_MS);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const outcome = await runCase(spec);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  const result: CaseResult = {
    ...outcome,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    atPeak,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
