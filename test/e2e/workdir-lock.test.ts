/**
 * One process per work directory, with real processes: the CLI started twice on one --workdir (the
 * second fails at once naming the directory and the holder's PID, and nothing is loaded twice), a
 * lock left by a SIGKILLed holder is recovered, and a damaged local warehouse says how to recover.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

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

/**
 * A real process that takes the work directory's lock with the product's lockWorkdir and holds it
 * until its stdin closes: a deterministic holder (a holding `run` may finish before a second
 * process starts, which proves nothing).
 */
function startHolder(workdir: string): {
  child: ChildProcess;
  locked: Promise<void>;
  finished: Promise<Finished>;
} {
  const script = [
    "require('tsx/cjs');",
    "const { lockWorkdir } = require('./local/runner/workdir-lock.ts');",
    'lockWorkdir(process.argv[1]).then((lock) => {',
    "  process.stdout.write('locked\\n');",
    "  process.stdin.on('end', () => void lock.release().then(() => process.exit(0)));",
    '  process.stdin.resume();',
    '});',
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script, workdir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('close', (code) =>
      reject(new Error(`the lock holder exited (${code}) before locking: ${stderr}`)),
    );
  });
  const finished = new Promise<Finished>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, locked, finished };
}

test(
  'a second process on the same work directory fails at once naming it and the holder PID; nothing loads until the holder is gone',
  async () => {
    const workdir = path.join(root, 'shared');
    const holder = startHolder(workdir);
    await holder.locked;

    const [second, query] = await Promise.all([
      startCli([...runArgs(workdir), '--retry-wait-ms', '0']).finished,
      startCli(['query', '--workdir', workdir, 'SELECT 1']).finished,
    ]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `work directory ${path.resolve(workdir)} is in use by another search-stats process (PID ${holder.child.pid}`,
    );
    expect(query.code).toBe(1);
    expect(query.stderr).toContain(`(PID ${holder.child.pid}`);
    expect(existsSync(path.join(workdir, 'warehouse'))).toBe(false);

    holder.child.stdin?.end();
    expect((await holder.finished).code).toBe(0);
    const afterwards = await startCli([...runArgs(workdir), '--retry-wait-ms', '0']).finished;
    expect(afterwards.code).toBe(0);
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
    const holder = startHolder(workdir);
    await holder.locked;
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
