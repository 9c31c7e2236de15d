import { copyFile, mkdir, mkdtemp, readdir, readlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { dayFileName, generateRange } from '../../local/runner/generate';
import { queryLocalTable, type QueryTarget } from '../../local/runner/query';

export const DAYS = ['2021-07-01', '2021-07-02', '2021-07-03'];
export const USERS_PER_DAY = 300;
export const SEED = 42;

/** A temp root with `input/` holding generated files for DAYS. */
export async function generatedInput(): Promise<{ root: string; input: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'search-stats-e2e-'));
  const input = path.join(root, 'input');
  await generateRange({
    from: DAYS[0] ?? '',
    to: DAYS[DAYS.length - 1] ?? '',
    outDir: input,
    seed: SEED,
    usersPerDay: USERS_PER_DAY,
  });
  return { root, input };
}

/** A copy of `input` without `missingDay`'s file. */
export async function inputWithout(input: string, missingDay: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(input)) {
    if (name !== dayFileName(missingDay)) await copyFile(path.join(input, name), path.join(dir, name));
  }
  return dir;
}

/** True when something accepts connections on the loopback port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Files under `dir` this process holds open (Linux /proc). */
export async function openFilesUnder(dir: string): Promise<string[]> {
  const fds = await readdir('/proc/self/fd').catch(() => [] as string[]);
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith(dir));
}

/** The rows of `sql` on the local warehouse, read as `search-stats query` reads them. */
export async function queryRows(target: QueryTarget, sql: string): Promise<Record<string, unknown>[]> {
  return (await queryLocalTable(target, sql)).rows;
}
