import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

import { main } from '../../local/cli/main';
import { captureIo } from '../local/capture-io';

/** The variable `backfill --aws` reads the state machine's ARN from, as `backfill --help` names it. */
const BACKFILL_ARN_ENV = 'SEARCH_STATS_BACKFILL_ARN';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:BackfillStateMachine395F6B27-AbCdEf';
const EXECUTION =
  'arn:aws:states:eu-west-1:123456789012:execution:BackfillStateMachine395F6B27-AbCdEf:bf-july';
const sfn = mockClient(SFNClient);

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
});
afterEach(() => {
  delete process.env[BACKFILL_ARN_ENV];
});

async function run(...argv: string[]) {
  const io = captureIo();
  const code = await main(['backfill', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

const startInputs = () => sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);

describe('search-stats backfill on AWS', () => {
  test('starts the deployed machine with exactly {"from","to","maxConcurrency"} and prints the execution ARN', async () => {
    const result = await run(
      ...['--from', '2021-07-02', '--to', '2021-07-24', '--concurrency', '8'],
      ...['--state-machine-arn', ARN, '--name', 'bf-july'],
    );
    expect(result.code).toBe(0);
    expect(startInputs()).toEqual([
      {
        stateMachineArn: ARN,
        name: 'bf-july',
        input: '{"from":"2021-07-02","to":"2021-07-24","maxConcurrency":8}',
      },
    ]);
    expect(result.out).toBe(`${EXECUTION}\n`);
    expect(result.err).toContain(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`,
    );
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });

  test("--aws reads the ARN from SEARCH_STATS_BACKFILL_ARN; without --concurrency the machine's default applies", async () => {
    process.env[BACKFILL_ARN_ENV] = ARN;
    const result = await run('--aws', '--from', '2021-07-02', '--to', '2021-07-03');
    expect(result.code).toBe(0);
    const [input] = startInputs();
    expect(input?.stateMachineArn).toBe(ARN);
    expect(input?.input).toBe('{"from":"2021-07-02","to":"2021-07-03"}');
    expect(input?.name).toMatch(/^backfill-2021-07-02-2021-07-03-[0-9a-f]{8}$/);
  });

  test('--wait follows the execution and prints the summary it ended with', async () => {
    const summary = {
      from: '2021-07-02',
      to: '2021-07-03',
      days: 2,
      succeeded: 2,
      failed: 0,
      succeededDays: ['2021-07-02', '2021-07-03'],
      failures: [],
      message: '2 days 2021-07-02..2021-07-03: all succeeded',
    };
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' })
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify(summary) });
    const result = await run(
      ...['--from', '2021-07-02', '--to', '2021-07-03', '--state-machine-arn', ARN],
      ...['--wait', '--poll-seconds', '0'],
    );
    expect(result.code).toBe(0);
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { executionArn: EXECUTION },
      { executionArn: EXECUTION },
    ]);
    expect(result.out).toMatch(/^2021-07-02\s+SUCCEEDED$/m);
    expect(result.out).toContain('2 days 2021-07-02..2021-07-03: all succeeded');
  });

  test('--wait exits 1 naming each failed day with its reason when the back-fill failed', async () => {
    const cause = {
      from: '2021-07-02',
      to: '2021-07-03',
      days: 2,
      succeeded: 1,
      failed: 1,
      succeededDays: ['2021-07-02'],
      failures: [
        { date: '2021-07-03', execution: '2021-07-03-bf-july', error: 'InputNotFound', cause: 'no object' },
      ],
      message: '2 days 2021-07-02..2021-07-03: 1 succeeded, 1 failed (2021-07-03)',
    };
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'BackfillDaysFailed', cause: JSON.stringify(cause) });
    const result = await run(
      ...['--from', '2021-07-02', '--to', '2021-07-03', '--state-machine-arn', ARN],
      ...['--wait', '--poll-seconds', '0'],
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^FAILED 2021-07-03: InputNotFound: no object$/m);
    expect(result.out).toMatch(/^2021-07-03\s+FAILED\s+InputNotFound\s+2021-07-03-bf-july$/m);
    expect(result.out).toContain('1 succeeded, 1 failed (2021-07-03)');
  });

  test('--wait exits 1 with the error when the back-fill could not even plan', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      error: 'InvalidRequest',
      cause: 'request.from is after to (2021-07-02), got "2021-07-03"',
    });
    const result = await run(
      ...['--from', '2021-07-02', '--to', '2021-07-03', '--state-machine-arn', ARN],
      ...['--wait', '--poll-seconds', '0'],
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^back-fill FAILED: InvalidRequest: request\.from is after to/m);
  });
});

describe('search-stats backfill argument errors', () => {
  test.each([
    [['--to', '2021-07-03', '--input', '.'], /--from is required/],
    [
      ['--from', '2021-02-30', '--to', '2021-03-01', '--input', '.'],
      /--from: '2021-02-30' is not a real date/,
    ],
    [
      ['--from', '2021-07-03', '--to', '2021-07-01', '--input', '.'],
      /--from: 2021-07-03 is after --to 2021-07-01/,
    ],
    [
      ['--from', '2021-01-01', '--to', '2022-01-02', '--input', '.'],
      /--to: .* has 367 days; a back-fill covers at most 366/,
    ],
    [
      ['--from', '2021-07-01', '--to', '2021-07-02', '--concurrency', '0', '--input', '.'],
      /--concurrency: must be a positive integer/,
    ],
    [
      ['--from', '2021-07-01', '--to', '2021-07-02', '--concurrency', '41', '--input', '.'],
      /--concurrency: must be from 1 to 40, got '41'/,
    ],
    [['--from', '2021-07-01', '--to', '2021-07-02'], /--input is required/],
    [
      ['--from', '2021-07-01', '--to', '2021-07-02', '--input', '/nonexistent'],
      /--input: '\/nonexistent' is not a directory/,
    ],
    [
      ['--from', '2021-07-01', '--to', '2021-07-02', '--input', '.', '--wait'],
      /--wait: only with --aws or --state-machine-arn/,
    ],
    [
      ['--from', '2021-07-01', '--to', '2021-07-02', '--aws'],
      /--state-machine-arn is required with --aws \(or set SEARCH_STATS_BACKFILL_ARN\)/,
    ],
    [
      [
        '--from',
        '2021-07-01',
        '--to',
        '2021-07-02',
        '--state-machine-arn',
        'arn:aws:lambda:eu-west-1:1:function:x',
      ],
      /--state-machine-arn: .* is not a Step Functions state machine ARN/,
    ],
    [
      ['--from', '2021-07-01', '--to', '2021-07-02', '--state-machine-arn', ARN, '--input', '.'],
      /--input: only for a local back-fill/,
    ],
    [
      ['--from', '2021-07-01', '--to', '2021-07-02', '--state-machine-arn', ARN, '--name', 'a b'],
      /--name: must be 1-80 letters/,
    ],
    [['--from', '2021-07-01', '--to', '2021-07-02', '--bogus'], /unknown option --bogus/],
  ])('%j exits 2 with one line naming the field', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trimEnd().split('\n')).toHaveLength(1);
    expect(startInputs()).toEqual([]);
  });

  test('a bad ARN in SEARCH_STATS_BACKFILL_ARN is named as such', async () => {
    process.env[BACKFILL_ARN_ENV] = 'not-an-arn';
    const result = await run('--from', '2021-07-01', '--to', '2021-07-02', '--aws');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /SEARCH_STATS_BACKFILL_ARN: 'not-an-arn' is not a Step Functions state machine ARN/,
    );
  });

  test('--help describes both modes', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/--state-machine-arn ARN/);
    expect(result.out).toMatch(/--input DIR/);
  });
});
