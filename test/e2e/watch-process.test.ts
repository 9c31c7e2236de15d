/**
 * `watch` as a real process: it runs a file that appears while it watches, reports a non-day file
 * once however many scans see it, and Ctrl-C (SIGINT) stops it cleanly: exit 0, the work
 * directory's lock released.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { dayFileName, writeDayFile } from '../../local/runner/generate';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'search-stats.js');
/** A CLI process synthesizes the stack first; under load that took minutes here. */
const SLOW_MS = 600_000;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'watch-process-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

test(
  'a file that appears runs; a non-day file gets one line; a removed file leaves the bucket; Ctrl-C exits 0, lock released',
  async () => {
    const input = path.join(root, 'input');
    const workdir = path.join(root, 'work');
    await mkdir(input, { recursive: true });
    const notesObject = path.join(workdir, 's3', 'incoming', 'user-data', 'notes.txt._S3rver_object');
    const child = spawn(
      process.execPath,
      [BIN, 'watch', '--input', input, '--workdir', workdir, '--interval-ms', '200', '--retry-wait-ms', '0'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const until = async (what: () => boolean, label: string): Promise<void> => {
      const deadline = Date.now() + SLOW_MS / 3;
      while (!what()) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `waiting for ${label}: ${child.exitCode === null ? 'timed out' : 'exited'}\n${err}`,
          );
        }
        await sleep(100);
      }
    };
    try {
      await until(() => err.includes('watching '), 'the watch to start');
      await writeFile(path.join(input, 'notes.txt'), 'not data');
      await writeDayFile(path.join(input, dayFileName('2021-07-02')), '2021-07-02', 'zip', 1, 200);
      await until(() => out.includes('1 of 1 days succeeded'), 'the day to run');
      await sleep(1000); // a few more scans: notes.txt and the day file are not reported again
      expect(existsSync(notesObject)).toBe(true);
      await rm(path.join(input, 'notes.txt'));
      await until(() => err.includes('removed: notes.txt'), 'the removal');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(err.match(/^ignored: notes\.txt: not a day file$/gm)).toHaveLength(1);
    expect(err.match(/^started day-20210702-[0-9a-f]{32} for 2021-07-02$/gm)).toHaveLength(1);
    expect(err).toMatch(/^stopped: 1 execution\(s\) run, 0 start\(s\) refused or joined$/m);
    expect(err).toContain('removed: notes.txt: deleted s3://incoming/user-data/notes.txt');
    expect(existsSync(notesObject)).toBe(false);
    expect(existsSync(path.join(workdir, '.lock'))).toBe(false);
  },
  SLOW_MS,
);
