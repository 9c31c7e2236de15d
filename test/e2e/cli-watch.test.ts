/**
 * `watch`: real files, the embedded S3, PGlite and the synthesized state machine. Each new file
 * version runs its day once (named day-<YYYYMMDD>-<ETag>), a touch does not, a corrected file
 * replaces the day, a version already loaded loads nothing, a run whose version was replaced ends
 * Superseded, non-day files get one line, and two starts of one object version make one execution.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { dayFileStart } from '../../lambdas/trigger/decide-start';
import { main } from '../../local/cli/main';
import { watchInput, type WatchOptions } from '../../local/cli/watch-loop';
import { SUPERSEDED_STATE } from '../../local/cli/watch-notes';
import { synthesizePipeline, type SynthesizedPipeline } from '../../local/runner/definition';
import { openExecutionRegistry } from '../../local/runner/executions';
import { fileEtag } from '../../local/runner/file-etag';
import { dayFileName, writeDayFile } from '../../local/runner/generate';
import { localTrigger } from '../../local/runner/local-trigger';
import { queryRows } from './fixtures';
import { withLocalPipeline } from '../../local/runner/runner';
import { captureIo } from '../local/capture-io';
import { expectedStats } from './independent-counts';

const DAY = '2021-07-02';
const FILE = dayFileName(DAY); // session_user_data20210702.zip
const STATS = `SELECT day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches,
  source_etag, run_id FROM search_stats ORDER BY day`;

let synthesized: SynthesizedPipeline;
let root: string;
beforeAll(() => {
  synthesized = synthesizePipeline();
});
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'watch-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** A day file of DAY generated with `seed` (another seed: other content, other numbers). */
async function dayFile(dir: string, seed: number, name = FILE): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeDayFile(file, DAY, 'zip', seed, 200);
  return file;
}

async function watchOnce(
  input: string,
  workdir: string,
  more: Partial<WatchOptions> = {},
): Promise<{ err: string; out: string; ran: string[] }> {
  const io = captureIo();
  const session = await watchInput(io, {
    input,
    workdir,
    intervalMs: 1000,
    once: true,
    retryWaitMs: 0,
    synthesized,
    ...more,
  });
  const ran = session.outcomes.flatMap((o) => (o.kind === 'ran' ? [o.result.executionName] : []));
  return { err: io.err(), out: io.out(), ran };
}

const stats = (workdir: string) => queryRows({ workdir }, STATS);
const statsOf = (row: Record<string, unknown> | undefined) => ({
  num_users: Number(row?.num_users),
  num_searches: Number(row?.num_searches),
  num_rental_searches: Number(row?.num_rental_searches),
  num_sale_searches: Number(row?.num_sale_searches),
  num_none_searches: Number(row?.num_none_searches),
});

test('a new file runs its day once under its ETag name; touched (same bytes) it does not; with other bytes it runs again', async () => {
  const input = path.join(root, 'input');
  const workdir = path.join(root, 'work');
  const file = await dayFile(input, 1);
  const etag = await fileEtag(file);

  const first = await watchOnce(input, workdir);
  expect(first.ran).toEqual([`day-20210702-${etag}`]);
  expect(first.out).toMatch(/^2021-07-02\s+SUCCEEDED/m);
  expect(first.out).toContain('1 of 1 days succeeded');
  const [row] = await stats(workdir);
  expect(row).toMatchObject({ source_etag: etag, run_id: `day-20210702-${etag}` });
  expect(statsOf(row)).toEqual(expectedStats(file));

  const later = new Date(Date.now() + 60_000);
  await utimes(file, later, later);
  const again = await watchOnce(input, workdir);
  expect(again.ran).toEqual([]);
  expect(again.err).toContain(`day-20210702-${etag}: not run again: execution already exists (SUCCEEDED`);
  expect(await stats(workdir)).toEqual([row]);

  const corrected = await dayFile(path.join(root, 'corrected'), 2);
  await copyFile(corrected, file);
  const correctedEtag = await fileEtag(corrected);
  const third = await watchOnce(input, workdir);
  expect(third.ran).toEqual([`day-20210702-${correctedEtag}`]);
  const rows = await stats(workdir);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ source_etag: correctedEtag, run_id: `day-20210702-${correctedEtag}` });
  expect(statsOf(rows[0])).toEqual(expectedStats(corrected));
  expect(statsOf(rows[0])).not.toEqual(statsOf(row));
}, 240_000);

test('a file that is not a day file is uploaded and ignored with one line; a directory too', async () => {
  const input = path.join(root, 'input');
  await mkdir(path.join(input, 'archive'), { recursive: true });
  await writeFile(path.join(input, 'notes.txt'), 'not data');
  await writeFile(path.join(input, 'session_user_data20210702.csv.old'), 'user_id,user_data\n');
  const { err, ran } = await watchOnce(input, path.join(root, 'work'));
  expect(ran).toEqual([]);
  expect(err.split('\n').filter((line) => line.startsWith('ignored: '))).toEqual([
    'ignored: archive: not a regular file',
    'ignored: notes.txt: not a day file',
    'ignored: session_user_data20210702.csv.old: not a day file',
  ]);
}, 240_000);

test('a day that is not over is left to the schedule; once it is over, the same file runs', async () => {
  const input = path.join(root, 'input');
  const workdir = path.join(root, 'work');
  await dayFile(input, 1);
  const during = await watchOnce(input, workdir, { now: () => new Date(`${DAY}T18:00:00Z`) });
  expect(during.ran).toEqual([]);
  expect(during.err).toContain(
    `left to the schedule: ${FILE}: ${DAY} is not over until 2021-07-03T00:00:00.000Z`,
  );
  expect(
    existsSync(path.join(workdir, 'executions')) ? await readdir(path.join(workdir, 'executions')) : [],
  ).toEqual([]);
  const after = await watchOnce(input, workdir, { now: () => new Date('2021-07-03T00:00:01Z') });
  expect(after.ran).toHaveLength(1);
}, 240_000);

test('two starts of one object version make one execution: the second joins it, a later one is refused', async () => {
  const input = path.join(root, 'input');
  const workdir = path.join(root, 'work');
  const file = await dayFile(input, 1);
  await withLocalPipeline({ workdir, synthesized }, async (pipeline) => {
    const registry = await openExecutionRegistry(pipeline.paths.executions);
    const trigger = localTrigger({ pipeline, registry, retryIntervalMs: 0 });
    const key = pipeline.config.incomingPrefix + FILE;
    const { decision } = await trigger.arrived(file, key);
    expect(decision).toEqual(dayFileStart(DAY, key, await fileEtag(file)));
    if (decision.action !== 'start') throw new Error('expected a start');

    const [a, b] = await Promise.all([trigger.start(decision), trigger.start({ ...decision })]);
    expect([a.kind, b.kind].sort()).toEqual(['joined', 'ran']);
    expect((await trigger.start(decision)).kind).toBe('alreadyExists');
  });
  expect(await readdir(path.join(workdir, 'executions'))).toHaveLength(1);
  expect(await stats(workdir)).toHaveLength(1);
}, 240_000);

test('two watch processes on one work directory: the second is refused at once, naming the holder', async () => {
  const input = path.join(root, 'input');
  const workdir = path.join(root, 'work');
  await dayFile(input, 1);
  const first = watchOnce(input, workdir);
  // Give the first a moment to take the work directory.
  for (let i = 0; i < 200 && !existsSync(path.join(workdir, '.lock')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const io = captureIo();
  const code = await main(['watch', '--input', input, '--workdir', workdir, '--once'], io);
  expect(code).toBe(1);
  expect(io.err()).toMatch(/work directory .* is in use by another search-stats process/);
  expect((await first).ran).toHaveLength(1);
}, 240_000);

test('a file version already loaded (by run) runs under its name and loads nothing: the Load skip', async () => {
  const input = path.join(root, 'input');
  const workdir = path.join(root, 'work');
  const file = await dayFile(input, 1);
  const etag = await fileEtag(file);
  const io = captureIo();
  const runArgs = ['run', '--input', input, '--from', DAY, '--to', DAY, '--workdir', workdir];
  expect(await main([...runArgs, '--retry-wait-ms', '0'], io)).toBe(0);
  const [loaded] = await stats(workdir);
  expect(loaded).toMatchObject({
    source_etag: etag,
    run_id: expect.stringMatching(/^2021-07-02-[0-9a-f]{8}$/),
  });

  const watched = await watchOnce(input, workdir);
  expect(watched.ran).toEqual([`day-20210702-${etag}`]);
  expect(watched.err).toContain(
    `${DAY} day-20210702-${etag}: loaded nothing: the day's loaded source_etag is already this file's ETag`,
  );
  expect(await stats(workdir)).toEqual([loaded]);
}, 240_000);

test("a run whose file was replaced before it ran ends Superseded and loads nothing; the new version's run loads", async () => {
  const input = path.join(root, 'input');
  const workdir = path.join(root, 'work');
  const v1 = await dayFile(input, 1);
  const v2 = await dayFile(path.join(root, 'corrected'), 2);
  const superseded = synthesized.definition.States[SUPERSEDED_STATE];
  expect(superseded?.Type).toBe('Succeed');
  await withLocalPipeline({ workdir, synthesized }, async (pipeline) => {
    const registry = await openExecutionRegistry(pipeline.paths.executions);
    const trigger = localTrigger({ pipeline, registry, retryIntervalMs: 0 });
    const key = pipeline.config.incomingPrefix + FILE;
    const first = await trigger.arrived(v1, key);
    const second = await trigger.arrived(v2, key);
    if (first.decision.action !== 'start' || second.decision.action !== 'start')
      throw new Error('expected starts');

    const old = await trigger.start(first.decision);
    expect(old.kind === 'ran' && old.result).toMatchObject({
      status: 'SUCCEEDED',
      finalState: SUPERSEDED_STATE,
    });
    expect(await pipeline.warehouse.query('SELECT day FROM search_stats')).toEqual([]);

    const current = await trigger.start(second.decision);
    expect(current.kind === 'ran' && current.result).toMatchObject({
      status: 'SUCCEEDED',
      finalState: 'Done',
    });
  });
  const [row] = await stats(workdir);
  expect(row).toMatchObject({ source_etag: await fileEtag(v2) });
  expect(statsOf(row)).toEqual(expectedStats(v2));
}, 240_000);
