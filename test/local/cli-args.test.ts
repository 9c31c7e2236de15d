import { main } from '../../local/cli/main';
import { captureIo } from './capture-io';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('command line arguments', () => {
  test.each([
    [
      ['run', '--input', '.', '--from', '2021-02-30', '--to', '2021-03-01'],
      /--from: '2021-02-30' is not a real date/,
    ],
    [
      ['run', '--input', '.', '--from', '2021-7-1', '--to', '2021-07-02'],
      /--from: '2021-7-1' is not a real date/,
    ],
    [
      ['run', '--input', '.', '--from', '2021-07-05', '--to', '2021-07-01'],
      /--from: 2021-07-05 is after --to 2021-07-01/,
    ],
    [['run', '--input', '.', '--from', '2021-07-01'], /--to is required/],
    [['run', '--from', '2021-07-01', '--to', '2021-07-01'], /--input is required/],
    [
      ['run', '--input', '.', '--from', '2021-07-01', '--to', '2021-07-01', '--concurrency', '0'],
      /--concurrency: must be a positive integer, got '0'/,
    ],
    [
      ['run', '--input', '.', '--from', '2021-07-01', '--to', '2021-07-01', '--concurrency', '1.5'],
      /--concurrency: must be a positive integer/,
    ],
    [
      ['run', '--input', '/no/such/dir', '--from', '2021-07-01', '--to', '2021-07-01'],
      /--input: '\/no\/such\/dir' is not a directory/,
    ],
    [
      ['run', '--input', '.', '--from', '2021-07-01', '--to', '2021-07-01', '--warehouse', 'mysql://x'],
      /--warehouse: must be a postgres:\/\/ URL/,
    ],
    [['run', '--bogus'], /unknown option --bogus/],
    [['run', '--input'], /--input: needs a value/],
    [
      ['run', 'extra', '--input', '.', '--from', '2021-07-01', '--to', '2021-07-01'],
      /run: expected no positional arguments, got 'extra'/,
    ],
    [['query'], /query: expected "SQL", got none/],
    [['query', '--format', 'xml', 'SELECT 1'], /--format: must be one of table, csv, json, got 'xml'/],
    [
      ['generate', '--out', '/tmp/x', '--from', '2021-07-01', '--to', '2021-07-01', '--seed', 'abc'],
      /--seed: must be a 32-bit integer/,
    ],
    [['generate', '--from', '2021-07-01', '--to', '2021-07-01'], /--out is required/],
    [['demo', '--concurrency', '-1'], /--concurrency/],
    [['outputs', '--bucket', 'nope'], /--bucket: must be one of incoming, clean/],
    [['report', '--warehouse', 'http://x'], /--warehouse: must be a postgres:\/\/ URL/],
    [['watch'], /--input is required/],
    [['watch', '--input', '.', '--interval-ms', '0'], /--interval-ms: must be a positive integer, got '0'/],
    [['watch', '--input', '/no/such/dir', '--once'], /--input: '\/no\/such\/dir' is not a directory/],
    [['watch', '--input', '.', '--once=yes'], /--once: takes no value/],
    [['watch', '--input', '.', 'now'], /watch: expected no positional arguments, got 'now'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /missing command/],
  ])('%j exits 2 with one line naming the problem', async (argv, message) => {
    const { code, out, err } = await cli(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  test.each(['run', 'watch', 'query', 'report', 'dashboard', 'generate', 'demo', 'outputs'])(
    '%s --help prints its usage and exits 0',
    async (name) => {
      const { code, out } = await cli(name, '--help');
      expect(code).toBe(0);
      expect(out).toContain(`Usage: search-stats ${name}`);
    },
  );

  test('--help lists every command', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    for (const name of ['run', 'watch', 'query', 'report', 'dashboard', 'generate', 'demo', 'outputs'])
      expect(out).toContain(`  ${name}`);
  });
});
