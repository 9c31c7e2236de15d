import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

import { seedFromTemplate } from '../../local/runner/pglite-template';

describe('a new warehouse directory is a copy of one cached fresh cluster', () => {
  let root: string;
  let initdbRuns: number;
  const initdb = async (dataDir: string): Promise<void> => {
    initdbRuns++;
    await (await PGlite.create({ dataDir })).close();
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pglite-template-'));
    initdbRuns = 0;
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  test('initdb runs once; each seeded directory opens as its own database', async () => {
    const cache = path.join(root, 'cache');
    const first = path.join(root, 'a');
    const second = path.join(root, 'b');

    expect(await seedFromTemplate(first, cache, initdb)).toBe(true);
    expect(await seedFromTemplate(second, cache, initdb)).toBe(true);
    expect(initdbRuns).toBe(1);

    const a = await PGlite.create({ dataDir: first });
    await a.exec('CREATE TABLE only_in_a (x int); INSERT INTO only_in_a VALUES (1)');
    await a.close();
    const b = await PGlite.create({ dataDir: second });
    const tables = await b.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'",
    );
    await b.close();
    expect(tables.rows[0]?.n).toBe(0);
    const reopened = await PGlite.create({ dataDir: first });
    expect((await reopened.query('SELECT x FROM only_in_a')).rows).toEqual([{ x: 1 }]);
    await reopened.close();
  }, 180_000);

  test('a directory with anything in it is left as it is', async () => {
    const used = path.join(root, 'used');
    await rm(used, { recursive: true, force: true });
    await seedFromTemplate(used, path.join(root, 'cache'), initdb);
    await writeFile(path.join(used, 'marker'), 'x');
    const before = (await readdir(used)).sort();

    expect(await seedFromTemplate(used, path.join(root, 'cache'), initdb)).toBe(false);
    expect((await readdir(used)).sort()).toEqual(before);
  }, 180_000);
});
