/**
 * Runs the synthesized definition (the very ASL CloudFormation gets) with aws-local-stepfunctions,
 * the three Lambda steps replaced by scripted stand-ins, to check what the states do with data and
 * errors, not just how they are written.
 */
import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { definitionOf, type AslDefinition } from './support/definition';
import { synth } from './support/synth';

type Step = 'Validate' | 'Clean' | 'Load';
/** The local stand-ins' type, as aws-local-stepfunctions declares it. */
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type LocalHandler = LocalHandlers[string];

type Script = Partial<Record<Step, (input: unknown, call: number) => unknown>>;

interface Outcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly inputs: Record<Step, unknown[]>;
  readonly notifications: { subject: unknown; message: unknown }[];
}

/** An error as Lambda reports it: the name is what retriers match, the cause is a JSON payload. */
function lambdaError(name: string, message: string): Error {
  const error = new Error(JSON.stringify({ errorType: name, errorMessage: message, trace: [] }));
  error.name = name;
  return error;
}

const DAY = { date: '2021-07-05', compactDate: '20210705', runId: 'run-1', source: { key: 'k' } };
const CLEAN = { date: '2021-07-05', runId: 'run-1', counts: { read: 3 } };
const LOAD = { date: '2021-07-05', runId: 'run-1', searchStatsRows: 1 };
const HAPPY: Required<Script> = { Validate: () => DAY, Clean: () => CLEAN, Load: () => LOAD };

let asl: AslDefinition;
beforeAll(() => {
  asl = definitionOf(synth().template);
});

async function run(input: Parameters<StateMachine['run']>[0], script: Script): Promise<Outcome> {
  const machine = new StateMachine(asl as unknown as StateMachineDefinition, {
    validationOptions: { checkArn: false },
  });
  const inputs: Record<Step, unknown[]> = { Validate: [], Clean: [], Load: [] };
  const notifications: { subject: unknown; message: unknown }[] = [];
  const step =
    (name: Step): LocalHandler =>
    async (payload) => {
      inputs[name].push(payload);
      return (await (script[name] ?? HAPPY[name])(payload, inputs[name].length)) as Awaited<
        ReturnType<LocalHandler>
      >;
    };
  const notify: LocalHandler = async (input) => {
    const params = input as { Subject?: unknown; Message?: unknown };
    notifications.push({ subject: params.Subject, message: params.Message });
    return { MessageId: 'm' };
  };
  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: {
        Validate: step('Validate'),
        Clean: step('Clean'),
        Load: step('Load'),
        NotifyFailure: notify,
      },
      retryIntervalOverrides: { Validate: 0, Clean: 0, Load: 0 },
    },
    context: { Execution: { Name: 'exec-2021-07-05' } },
  });
  let failure: { error?: string; cause?: string } = {};
  const events = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'ExecutionFailed') failure = { error: event.Error, cause: String(event.Cause) };
    }
  })();
  const result = await execution.result.then(
    (output: unknown) => ({ status: 'SUCCEEDED' as const, output }),
    () => ({ status: 'FAILED' as const }),
  );
  await events;
  return { ...result, ...failure, inputs, notifications };
}

describe('the daily state machine, executed', () => {
  test('a scheduled start gives Validate the event time and the execution name as runId', async () => {
    const outcome = await run({ time: '2021-07-06T00:30:00Z' }, {});
    expect(outcome.inputs.Validate).toEqual([{ time: '2021-07-06T00:30:00Z', runId: 'exec-2021-07-05' }]);
    expect(outcome.status).toBe('SUCCEEDED');
  });

  test('a manual start gives Validate the date as typed, plus runId', async () => {
    const outcome = await run({ date: '2021-07-05' }, {});
    expect(outcome.inputs.Validate).toEqual([{ date: '2021-07-05', runId: 'exec-2021-07-05' }]);
  });

  test('each step receives the previous result and the run ends with all of them', async () => {
    const outcome = await run({ date: '2021-07-05' }, {});
    expect(outcome.inputs.Clean).toEqual([DAY]);
    expect(outcome.inputs.Load).toEqual([CLEAN]);
    expect(outcome.output).toEqual({
      date: '2021-07-05',
      runId: 'exec-2021-07-05',
      day: DAY,
      clean: CLEAN,
      load: LOAD,
    });
    expect(outcome.notifications).toEqual([]);
  });

  test('a non-retryable error fails at once and notifies once with day, step, error and cause', async () => {
    const malformed = lambdaError('MalformedInput', 'not a CSV');
    const outcome = await run({ date: '2021-07-05' }, { Clean: () => Promise.reject(malformed) });
    expect(outcome.inputs.Clean).toHaveLength(1);
    expect(outcome.inputs.Load).toHaveLength(0);
    expect(outcome.notifications).toEqual([
      {
        subject: 'search-stats: a day failed at Clean',
        message: {
          date: '2021-07-05',
          step: 'Clean',
          error: 'MalformedInput',
          cause: malformed.message,
          execution: 'exec-2021-07-05',
        },
      },
    ]);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'MalformedInput', cause: malformed.message });
  });

  test('a retryable error is tried 1 + 3 times, then notifies once', async () => {
    const late = lambdaError('InputNotFound', 'no object for 2021-07-05');
    const outcome = await run({ time: '2021-07-06T00:30:00Z' }, { Validate: () => Promise.reject(late) });
    expect(outcome.inputs.Validate).toHaveLength(4);
    expect(outcome.notifications).toHaveLength(1);
    // Validate failed before the day was known: the raw request stands in for it.
    expect(outcome.notifications[0]?.message).toMatchObject({
      date: JSON.stringify({ time: '2021-07-06T00:30:00Z' }),
      step: 'Validate',
      error: 'InputNotFound',
    });
    expect(outcome.error).toBe('InputNotFound');
  });

  test('a step that succeeds on a retry completes the run without notifying', async () => {
    const busy = lambdaError('WarehouseUnavailable', 'throttled');
    const outcome = await run(
      { date: '2021-07-05' },
      { Load: (_input, call) => (call === 1 ? Promise.reject(busy) : LOAD) },
    );
    expect(outcome.inputs.Load).toHaveLength(2);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.notifications).toEqual([]);
  });

  test('a run whose day file was replaced since it started ends Superseded: nothing cleaned or loaded, no notification', async () => {
    const source = { key: 'user-data/session_user_data20210705.zip', etag: 'old' };
    const superseded = {
      ...DAY,
      source: undefined,
      superseded: { expected: source, found: { ...source, etag: 'new' } },
    };
    const outcome = await run(
      { date: '2021-07-05', source, skipIfLoaded: true },
      { Validate: () => superseded },
    );
    expect(outcome.inputs.Validate).toEqual([
      { date: '2021-07-05', source, skipIfLoaded: true, runId: 'exec-2021-07-05' },
    ]);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.inputs.Clean).toHaveLength(0);
    expect(outcome.inputs.Load).toHaveLength(0);
    expect(outcome.notifications).toEqual([]);
  });

  test('a scheduled run without its file (InputNotArrived) is not retried and notifies once', async () => {
    const notArrived = lambdaError('InputNotArrived', 'no input object at the scheduled time');
    const outcome = await run(
      { date: '2021-07-05', scheduled: true },
      { Validate: () => Promise.reject(notArrived) },
    );
    expect(outcome.inputs.Validate).toHaveLength(1);
    expect(outcome.notifications).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'InputNotArrived' });
  });
});
