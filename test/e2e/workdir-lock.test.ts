/**
 * One process per work directory, with real processes: the CLI started twice on one --workdir (the
 * second fails at once naming the directory and the holder's PID, and nothing is loaded twice), a
 * lock left by a SIGKILLed holder is recovered, and a damaged local warehouse says how to recover.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { main } from '../../local/cli/main';
import { openPglite } from '../../local/runner/pg-driver';
import { workdirPaths } from '../../local/runner/workdir';
import { lockWorkdir, WorkdirBusy } from '../../local/runner/workdir-lock';
import { captureIo } from '../local/capture-io';
import { DAYS, generatedInput, queryRows } from './fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'search-stats.js');

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

function startCli(args: readonly string[]): { child: ChildProcess; finished: Promise<Finished> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, finished };
}

/** Resolves once the holder record of `workdir`'s lock names `cli`'s PID (start-up is slow under load). */
async function heldBy(workdir: string, cli: ReturnType<typeof startCli>): Promise<void> {
  const record = path.join(workdir, '.lock-holder.json');
  let exited: Finished | undefined;
  void cli.finished.then((finished) => (exited = finished));
  const deadline = Date.now() + SLOW_MS / 2;
  while (Date.now() < deadline && exited === undefined) {
    if (existsSync(record)) {
      const holder = JSON.parse(await readFile(record, 'utf8').catch(() => '{}')) as { pid?: number };
      if (holder.pid === cli.child.pid) return;
    }
    await sleep(50);
  }
  const why = exited ? `it exited (${exited.code ?? exited.signal}): ${exited.stderr}` : 'timed out';
  throw new Error(`${workdir} was never locked by PID ${cli.child.pid}: ${why}`);
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

let root: string;
let input: string;
beforeAll(async () => {
  ({ root, input } = await generatedInput());
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** One day: each CLI process synthesizes the stack first. */
const runArgs = (workdir: string): string[] => {
  const day = DAYS[0] ?? '';
  return ['run', '--input', input, '--from', day, '--to', day, '--workdir', workdir];
};
/** Real CLI processes on a shared 2-core machine: one run took over 2 minutes here under load. */
const SLOW_MS = 600_000;

test(
  'a second process on the same work directory fails at once naming it and the holder PID; nothing loads twice',
  async () => {
    const workdir = path.join(root, 'shared');
    const first = startCli([...runArgs(workdir), '--retry-wait-ms', '0']);
    await heldBy(workdir, first);

    const [second, query] = await Promise.all([
      startCli([...runArgs(workdir), '--retry-wait-ms', '0']).finished,
      startCli(['query', '--workdir', workdir, 'SELECT 1']).finished,
    ]);
    const firstDone = await first.finished;

    expect(firstDone.code).toBe(0);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `work directory ${path.resolve(workdir)} is in use by another search-stats process (PID ${first.child.pid}`,
    );
    expect(query.code).toBe(1);
    expect(query.stderr).toContain(`(PID ${first.child.pid}`);
    const [counts] = await queryRows(
      { workdir },
      `SELECT (SELECT COUNT(*) FROM valid_searches) AS valid_rows, (SELECT SUM(num_searches) FROM search_stats) AS searches,
            (SELECT COUNT(*) FROM search_stats) AS days`,
    );
    expect(counts).toEqual({ valid_rows: counts?.searches, searches: expect.any(Number), days: 1 });
    expect(existsSync(path.join(workdir, '.lock'))).toBe(false);
  },
  SLOW_MS,
);

test(
  'a lock left by a SIGKILLed holder is recovered by the next process',
  async () => {
    const workdir = path.join(root, 'killed');
    const holder = startCli([...runArgs(workdir), '--retry-wait-ms', '0']);
    await heldBy(workdir, holder);
    holder.child.kill('SIGKILL');
    expect((await holder.finished).signal).toBe('SIGKILL');
    expect(existsSync(path.join(workdir, '.lock'))).toBe(true);

    const lock = await lockWorkdir(workdir);
    const record = JSON.parse(await readFile(path.join(workdir, '.lock-holder.json'), 'utf8')) as {
      pid: number;
    };
    expect(record.pid).toBe(process.pid);
    await lock.release();
  },
  SLOW_MS,
);

test('a live holder in this process is named too', async () => {
  const workdir = path.join(root, 'in-process');
  const lock = await lockWorkdir(workdir);
  try {
    const io = captureIo();
    expect(await main(['query', '--workdir', workdir, 'SELECT 1'], io)).toBe(1);
    await expect(lockWorkdir(workdir)).rejects.toThrow(WorkdirBusy);
    await expect(lockWorkdir(workdir)).rejects.toThrow(`(PID ${process.pid} `);
  } finally {
    await lock.release();
  }
  // Released: the next one gets it.
  await (await lockWorkdir(workdir)).release();
});

test(
  'a damaged local warehouse fails naming its path and how to recover',
  async () => {
    const workdir = path.join(root, 'damaged');
    const warehouse = workdirPaths(workdir).warehouse;
    await mkdir(warehouse, { recursive: true });
    await (await openPglite(warehouse)).close();
    await writeFile(path.join(warehouse, 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));

    const io = captureIo();
    expect(await main(['query', '--workdir', workdir, 'SELECT COUNT(*) FROM search_stats'], io)).toBe(1);
    expect(io.err()).toContain(
      `search-stats query: LocalWarehouseUnreadable: the local warehouse in ${warehouse} cannot be opened`,
    );
    expect(io.err()).toContain(`To recover, delete ${warehouse} and run the days again`);
    // The failed open released the work directory.
    expect(existsSync(path.join(workdir, '.lock'))).toBe(false);
  },
  SLOW_MS,
);
