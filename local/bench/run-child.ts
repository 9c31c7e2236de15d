import { spawn } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import type { CaseSpec } from './cases';
import type { CaseResult } from './child';

/**
 * Bundles child.ts like a Lambda (esbuild, minified CommonJS, the SDK included) so each case runs
 * the code as deployed, without a TypeScript loader in the measured process. With `readable`, names
 * are kept and a source map is inlined, for CPU profiles.
 */
export async function bundleChild(outDir: string, readable: boolean): Promise<string> {
  const outfile = path.join(outDir, 'bench-child.js');
  await build({
    entryPoints: [path.join(__dirname, 'child.ts')],
    outfile,
    bundle: true,
    minify: !readable,
    sourcemap: readable ? 'inline' : false,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
    logLevel: 'warning',
  });
  return outfile;
}

export interface ChildOptions {
  readonly nodeFlags: readonly string[];
  /** Write a CPU profile of the run there, named after `label`. */
  readonly cpuProfDir?: string;
  readonly label: string;
}

/** Runs one case in a fresh Node process and returns what it measured. */
export function runChild(childFile: string, spec: CaseSpec, options: ChildOptions): Promise<CaseResult> {
  const profile =
    options.cpuProfDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, `--cpu-prof-name=${options.label}.cpuprofile`];
  const args = [...options.nodeFlags, ...profile, childFile, JSON.stringify(spec)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${options.label} failed (exit ${code}): ${stderr.trim() || stdout.trim()}`));
        return;
      }
      resolve(JSON.parse(last) as CaseResult);
    });
  });
}
