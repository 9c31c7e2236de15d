/**
 * Runs a `search-stats` CLI command (bin/search-stats.js) in a fresh Node process and measures it:
 * wall time, and the process's peak RSS as it reports it itself at exit (peak-rss-preload.ts).
 * Used for what the bench does through the CLI: generating day files, the 1,000x scale-out run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface CliMeasurement {
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly stdout: string;
}

export async function runMeasuredCli(args: readonly string[], label: string): Promise<CliMeasurement> {
  const dir = await mkdtemp(path.join(tmpdir(), 'search-stats-bench-rss-'));
  const rssFile = path.join(dir, 'peak.json');
  try {
    const started = process.hrtime.bigint();
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          'tsx/cjs',
          '--require',
          path.join(__dirname, 'peak-rss-preload.ts'),
          path.join(ROOT, 'bin/search-stats.js'),
          ...args,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, BENCH_PEAK_RSS_FILE: rssFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (err = (err + text).slice(-4000)));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(out);
        else reject(new Error(`${label} failed (exit ${code}): ${err.trim() || out.trim()}`));
      });
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const { peakRssMb } = JSON.parse(await readFile(rssFile, 'utf8')) as { peakRssMb: number };
    return { wallMs, peakRssMb, stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
