import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';

const run = promisify(execFile);

export interface BundleSize {
  readonly entry: string;
  readonly jsBytes: number;
  readonly mapBytes: number;
  /** Milliseconds to `require` the bundle in a fresh Node process (module init, clients created). */
  readonly requireMs: number | undefined;
  /** The largest packages in the bundle, by output bytes. */
  readonly heaviest: readonly { readonly name: string; readonly bytes: number }[];
}

/** Under this, a bundle is small enough to keep cold starts short. */
export const BUNDLE_TARGET_BYTES = 1024 * 1024;

/** Every Lambda entry: lambdas/<name>/handler.ts and lambdas/<name>/<step>-handler.ts. */
export async function lambdaEntries(root: string): Promise<string[]> {
  const dirs = await readdir(path.join(root, 'lambdas'), { withFileTypes: true });
  const entries: string[] = [];
  for (const dir of dirs.filter((d) => d.isDirectory())) {
    const files = await readdir(path.join(root, 'lambdas', dir.name));
    for (const file of files.filter((f) => f === 'handler.ts' || f.endsWith('-handler.ts'))) {
      entries.push(path.join(root, 'lambdas', dir.name, file));
    }
  }
  return entries.sort();
}

/** `node_modules/@aws-sdk/client-s3/dist-cjs/index.js` -> `@aws-sdk/client-s3`; own code -> `(project)`. */
function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return '(project)';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? input);
}

function heaviest(metafile: Metafile, count: number): { name: string; bytes: number }[] {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

async function requireMs(file: string): Promise<number | undefined> {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  try {
    const { stdout } = await run(process.execPath, ['-e', script], {
      env: { ...process.env, AWS_REGION: 'us-east-1' },
    });
    return Number(stdout.trim());
  } catch {
    return undefined;
  }
}

/**
 * Bundles a Lambda entry the way lib/pipeline-function.ts has CDK do it (esbuild: bundle, minify,
 * tree shaking, platform node, target node22, CommonJS, external source map, AWS SDK included).
 */
export async function bundleSize(entry: string, outDir: string, root: string): Promise<BundleSize> {
  // lambdas/scale-out/prepare-handler.ts -> <outDir>/scale-out/prepare-handler/index.js
  const name = path.join(path.basename(path.dirname(entry)), path.basename(entry, '.ts'));
  const outfile = path.join(outDir, name, 'index.js');
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    treeShaking: true,
    sourcemap: 'external',
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  return {
    entry: path.relative(root, entry),
    jsBytes: (await stat(outfile)).size,
    mapBytes: (await stat(`${outfile}.map`)).size,
    requireMs: await requireMs(outfile),
    heaviest: heaviest(result.metafile, 3),
  };
}

export function bundleTable(sizes: readonly BundleSize[]): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
  const rows = sizes.map((s) => [
    s.entry,
    kb(s.jsBytes),
    kb(s.mapBytes),
    s.jsBytes < BUNDLE_TARGET_BYTES ? 'yes' : 'NO',
    s.requireMs === undefined ? '-' : `${s.requireMs.toFixed(0)} ms`,
    s.heaviest.map((h) => `${h.name} ${kb(h.bytes)}`).join(', '),
  ]);
  const header = ['Lambda entry', 'Bundle (minified)', 'Source map', '< 1 MB', 'require()', 'Largest parts'];
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
