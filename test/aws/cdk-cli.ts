/**
 * The `cdk` CLI as the opt-in real-account test drives it: deploy and destroy one stack with the
 * test's context, output on the terminal. Nothing here runs in `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** `-c key=value` for each context entry. */
export function contextArgs(context: Readonly<Record<string, string>>): string[] {
  return Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

function cdk(args: string[]): void {
  const result = spawnSync('npx', ['cdk', ...args], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`cdk ${args[0] ?? ''} exited with ${result.status ?? result.signal ?? 'unknown'}`);
  }
}

/** Deploys the stack and returns its outputs (`cdk deploy --outputs-file`). */
export function deployStack(
  stackName: string,
  context: Readonly<Record<string, string>>,
  outputsFile: string,
): Record<string, string> {
  cdk([
    'deploy',
    stackName,
    '--require-approval',
    'never',
    '--outputs-file',
    outputsFile,
    ...contextArgs(context),
  ]);
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>;
  const ours = outputs[stackName];
  if (ours === undefined) throw new Error(`${outputsFile} has no outputs for ${stackName}`);
  return ours;
}

/** Deletes the stack (its data too: the test deploys with retainData=false). */
export function destroyStack(stackName: string, context: Readonly<Record<string, string>>): void {
  cdk(['destroy', stackName, '--force', ...contextArgs(context)]);
}
