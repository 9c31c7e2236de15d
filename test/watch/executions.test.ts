/**
 * The local StartExecution name rule: one execution per name in a work directory, across restarts;
 * a concurrent start of a running name with the same input joins it, any other reuse is refused.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { ExecutionAlreadyExists, openExecutionRegistry } from '../../local/runner/executions';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'executions-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const ok = (): 'SUCCEEDED' => 'SUCCEEDED';

test('a name runs once: a later start of it is refused as ExecutionAlreadyExists, also after a restart', async () => {
  const registry = await openExecutionRegistry(dir);
  let runs = 0;
  const first = await registry.start('day-20210702-abc', { date: '2021-07-02' }, async () => ++runs, ok);
  expect(first.started).toBe(true);
  await expect(first.result).resolves.toBe(1);

  await expect(
    registry.start('day-20210702-abc', { date: '2021-07-02' }, async () => ++runs, ok),
  ).rejects.toThrow(ExecutionAlreadyExists);
  const restarted = await openExecutionRegistry(dir);
  await expect(
    restarted.start('day-20210702-abc', { date: '2021-07-02' }, async () => ++runs, ok),
  ).rejects.toThrow(/execution day-20210702-abc already exists \(SUCCEEDED, started /);
  expect(runs).toBe(1);
  expect(JSON.parse(await readFile(path.join(dir, 'day-20210702-abc.json'), 'utf8'))).toMatchObject({
    name: 'day-20210702-abc',
    input: { date: '2021-07-02' },
    status: 'SUCCEEDED',
    pid: process.pid,
  });
});

test('two starts of a running name with the same input make one execution; another input is refused', async () => {
  const registry = await openExecutionRegistry(dir);
  let runs = 0;
  let finish: () => void = () => undefined;
  const run = () =>
    new Promise<number>((resolve) => {
      runs++;
      finish = () => resolve(runs);
    });
  const input = { date: '2021-07-02', source: { key: 'k', etag: 'e' } };
  const [a, b] = await Promise.all([
    registry.start('day-20210702-e', input, run, ok),
    registry.start('day-20210702-e', { ...input }, run, ok),
  ]);
  await expect(registry.start('day-20210702-e', { date: '2021-07-03' }, run, ok)).rejects.toThrow(
    /already exists \(RUNNING/,
  );
  finish();
  expect([a.started, b.started]).toEqual([true, false]);
  await expect(Promise.all([a.result, b.result])).resolves.toEqual([1, 1]);
  expect(runs).toBe(1);
});

test('a failed execution keeps its name; a record left RUNNING by a killed process is marked ABORTED', async () => {
  const registry = await openExecutionRegistry(dir);
  const failed = await registry.start(
    'day-1',
    {},
    async () => 'no',
    () => 'FAILED',
  );
  await failed.result;
  expect(await registry.get('day-1')).toMatchObject({ status: 'FAILED' });

  const orphan = { name: 'day-2', input: {}, status: 'RUNNING', startedAt: 'then', pid: 2 ** 22 + 1 };
  await writeFile(path.join(dir, 'day-2.json'), JSON.stringify(orphan));
  const reopened = await openExecutionRegistry(dir);
  expect(await reopened.get('day-2')).toMatchObject({ status: 'ABORTED', stoppedAt: expect.any(String) });
  await expect(reopened.start('day-2', {}, async () => 1, ok)).rejects.toThrow(
    /day-2 already exists \(ABORTED/,
  );
});

test('a run that throws ends FAILED and the error reaches the caller', async () => {
  const registry = await openExecutionRegistry(dir);
  const started = await registry.start('day-3', {}, () => Promise.reject(new Error('boom')), ok);
  await expect(started.result).rejects.toThrow('boom');
  expect(await registry.get('day-3')).toMatchObject({ status: 'FAILED' });
});

test('names Step Functions would refuse are refused', async () => {
  const registry = await openExecutionRegistry(dir);
  for (const name of ['', 'a/b', '../x', 'x'.repeat(81)]) {
    await expect(registry.start(name, {}, async () => 1, ok)).rejects.toThrow(/is not 1-80 letters/);
  }
});
