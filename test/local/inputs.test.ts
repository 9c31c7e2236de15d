/** The local input directory: day files are found by name, and only regular files are read. */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findDayFiles, InputNotRegularFile } from '../../local/runner/inputs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'inputs-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('finding the day files of a local run', () => {
  test('finds regular files (and symlinks to them) by their day names', async () => {
    await writeFile(path.join(dir, 'session_user_data20210702.csv'), 'user_id,user_data\n');
    await writeFile(path.join(dir, 'elsewhere.csv'), 'user_id,user_data\n');
    await symlink(path.join(dir, 'elsewhere.csv'), path.join(dir, 'session_user_data20210703.zip'));
    const found = await findDayFiles(dir, ['2021-07-02', '2021-07-03', '2021-07-04']);
    expect(Object.fromEntries(found)).toEqual({
      '2021-07-02': [path.join(dir, 'session_user_data20210702.csv')],
      '2021-07-03': [path.join(dir, 'session_user_data20210703.zip')],
      '2021-07-04': [],
    });
  });

  test('refuses a FIFO up front, naming it, instead of waiting for a writer forever', async () => {
    const fifo = path.join(dir, 'session_user_data20210702.csv');
    execFileSync('mkfifo', [fifo]);
    const failure = findDayFiles(dir, ['2021-07-02']);
    await expect(failure).rejects.toThrow(InputNotRegularFile);
    await expect(failure).rejects.toThrow(
      `${fifo} is a FIFO (named pipe), not a regular file: refusing to read it (a day file must be a file)`,
    );
  });

  test('refuses a directory with a day file name', async () => {
    await mkdir(path.join(dir, 'session_user_data20210702.csv.gz'));
    await expect(findDayFiles(dir, ['2021-07-02'])).rejects.toThrow(/ is a directory, not a regular file/);
  });
});
