import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';

import { main } from '../../local/cli/main';
import { generateDayCsv, generateRange } from '../../local/runner/generate';
import { captureIo } from './capture-io';

const SEARCH =
  /--\\\\n-:search_id:(\d+)\\\\n:enabled:(True|False)\\\\n:clicks:(\d+)\\\\n:created_at:(\d{8})\\\\n:listings:(\d+)\\\\n:type:(Rental|Sales|)\\n/g;

function parseUsers(csv: string): { userId: string; searches: RegExpMatchArray[]; rest: string }[] {
  const [header, ...lines] = csv.trimEnd().split('\n');
  expect(header).toBe('user_id,user_data');
  return lines.map((line) => {
    const [userId = '', userData = ''] = line.split(',');
    const searches = [...userData.matchAll(SEARCH)];
    return { userId, searches, rest: userData.replace(SEARCH, '') };
  });
}

describe('sample data generator', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gen-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('the same seed gives the same bytes for a day, whatever range it is generated in', async () => {
    await generateRange({
      from: '2021-07-01',
      to: '2021-07-03',
      outDir: path.join(dir, 'a'),
      seed: 7,
      usersPerDay: 200,
    });
    await generateRange({
      from: '2021-07-02',
      to: '2021-07-02',
      outDir: path.join(dir, 'b'),
      seed: 7,
      usersPerDay: 200,
    });
    const a = await readFile(path.join(dir, 'a', 'session_user_data20210702.zip'));
    const b = await readFile(path.join(dir, 'b', 'session_user_data20210702.zip'));
    expect(Buffer.compare(a, b)).toBe(0);
  });

  test('a different seed gives different data', () => {
    expect(generateDayCsv('2021-07-02', 1, 100)).not.toBe(generateDayCsv('2021-07-02', 2, 100));
  });

  test('writes one zip per day holding exactly one CSV entry', async () => {
    const days = await generateRange({ from: '2021-07-30', to: '2021-08-02', outDir: dir, usersPerDay: 50 });
    expect(days.map((d) => d.day)).toEqual(['2021-07-30', '2021-07-31', '2021-08-01', '2021-08-02']);
    expect((await readdir(dir)).sort()).toEqual([
      'session_user_data20210730.zip',
      'session_user_data20210731.zip',
      'session_user_data20210801.zip',
      'session_user_data20210802.zip',
    ]);
    const entries = unzipSync(await readFile(path.join(dir, 'session_user_data20210801.zip')));
    expect(Object.keys(entries)).toEqual(['session_user_data20210801.csv']);
  });

  test('every line follows the contract grammar, with the values in their ranges', () => {
    const users = parseUsers(generateDayCsv('2021-07-02', 3, 500));
    for (const user of users) {
      expect(user.rest).toBe('');
      expect([1, 10]).toContain(user.searches.length);
      for (const [, , , clicks, createdAt, listings] of user.searches) {
        expect(Number(clicks)).toBeGreaterThanOrEqual(1);
        expect(Number(clicks)).toBeLessThanOrEqual(9);
        expect(Number(listings)).toBeLessThanOrEqual(30);
        expect(createdAt).toBe('20210702');
      }
    }
  });

  test('has the contract shape: about 1 in 10 users with 10 searches, enabled about half, all three types', () => {
    const users = parseUsers(generateDayCsv('2021-07-07', 11, 5000));
    const searches = users.flatMap((u) => u.searches);
    const tenShare = users.filter((u) => u.searches.length === 10).length / users.length;
    const enabledShare = searches.filter((s) => s[2] === 'True').length / searches.length;
    expect(tenShare).toBeGreaterThan(0.07);
    expect(tenShare).toBeLessThan(0.13);
    expect(enabledShare).toBeGreaterThan(0.45);
    expect(enabledShare).toBeLessThan(0.55);
    expect(new Set(searches.map((s) => s[6]))).toEqual(new Set(['Rental', 'Sales', '']));
  });

  test('user ids are unique within a day, search ids repeat', () => {
    const users = parseUsers(generateDayCsv('2021-07-02', 5, 3000));
    const searchIds = users.flatMap((u) => u.searches.map((s) => s[1]));
    expect(new Set(users.map((u) => u.userId)).size).toBe(users.length);
    expect(new Set(searchIds).size).toBeLessThan(searchIds.length);
  });

  test('about the requested number of users, more on weekends than on Mondays', () => {
    const count = (day: string): number => parseUsers(generateDayCsv(day, 1, 10_000)).length;
    const saturday = count('2021-07-03');
    const monday = count('2021-07-05');
    expect(monday).toBeGreaterThan(8500);
    expect(saturday).toBeLessThan(12_500);
    expect(saturday).toBeGreaterThan(monday);
  });
});

describe('search-stats generate', () => {
  test('names its counts as counts of the file, not of valid users and searches', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'generate-cli-'));
    const io = captureIo();
    const argv = ['generate', '--out', dir, '--from', '2021-07-02', '--to', '2021-07-02', '--users', '40'];
    expect(await main(argv, io)).toBe(0);
    const [header = '', , row = ''] = io.out().split('\n');
    expect(header.split(/\s+/).slice(0, 3)).toEqual(['day', 'users_in_file', 'searches_in_file']);
    const csv = unzipSync(await readFile(path.join(dir, 'session_user_data20210702.zip')));
    const lines = new TextDecoder().decode(Object.values(csv)[0]).trimEnd().split('\n').length - 1;
    expect(row.split(/\s+/)[1]).toBe(String(lines));
    await rm(dir, { recursive: true, force: true });
  });
});
