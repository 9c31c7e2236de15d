import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { AslDefinition } from '../../local/runner/resolve-template';
import { createValidatedMachine } from '../../local/runner/validated-machine';

const valid = {
  StartAt: 'Hello',
  States: { Hello: { Type: 'Pass', Result: { ok: true }, End: true } },
} as unknown as AslDefinition;
const invalid = {
  StartAt: 'Missing',
  States: { Hello: { Type: 'Pass', End: true } },
} as unknown as AslDefinition;

describe('a state machine definition is validated the first time it is seen', () => {
  let cache: string;
  beforeEach(async () => {
    cache = await mkdtemp(path.join(os.tmpdir(), 'asl-valid-'));
  });
  afterEach(() => rm(cache, { recursive: true, force: true }));

  test('an invalid definition throws and is not remembered', () => {
    expect(() => createValidatedMachine(invalid, cache)).toThrow();
    expect(readdirSync(cache)).toEqual([]);
  });

  test('a valid definition is remembered, and the machine made from the memory runs the same', async () => {
    const first = await createValidatedMachine(valid, cache).run({}).result;
    expect(readdirSync(cache)).toHaveLength(1);

    const second = await createValidatedMachine(valid, cache).run({}).result;
    expect(second).toEqual(first);
    expect(second).toEqual({ ok: true });
  });

  test('a changed definition is validated again', () => {
    createValidatedMachine(valid, cache);
    const changed = { ...invalid, StartAt: 'Missing' } as AslDefinition;

    expect(() => createValidatedMachine(changed, cache)).toThrow();
    expect(existsSync(cache) && readdirSync(cache)).toHaveLength(1);
  });
});
