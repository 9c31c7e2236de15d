/**
 * The Trigger Lambda as deployed: its configuration from the environment the CDK construct sets
 * (lib/trigger.ts), the event parsed at the boundary, the start made with its module's client.
 */
import '../load/silent-logs';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidRequest } from '../../lambdas/shared/errors';
import { handler } from '../../lambdas/trigger/handler';
import { lambdaContext } from '../support/lambda-context';

const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:us-east-1:111122223333:stateMachine:Daily';
const saved = { ...process.env };

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: new Date() });
  process.env = {
    ...saved,
    INCOMING_BUCKET: 'incoming',
    INCOMING_PREFIX: 'drop/',
    DAILY_STATE_MACHINE_ARN: ARN,
  };
});
afterAll(() => {
  process.env = saved;
});

const arrival = (key: string) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '111122223333',
  time: '2021-07-03T09:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::incoming'],
  detail: { version: '0', bucket: { name: 'incoming' }, object: { key, size: 1, etag: 'abc123' } },
});

test('starts the configured state machine for a day file under the configured prefix', async () => {
  await expect(
    handler(arrival('drop/session_user_data20210702.csv'), lambdaContext(60_000, 'trigger')),
  ).resolves.toEqual({ outcome: 'started', date: '2021-07-02', name: 'day-20210702-abc123' });
  expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toMatchObject({
    stateMachineArn: ARN,
    name: 'day-20210702-abc123',
  });
});

test('the same key under the default prefix is not a day file here', async () => {
  await expect(
    handler(arrival('user-data/session_user_data20210702.csv'), lambdaContext(60_000, 'trigger')),
  ).resolves.toEqual({ outcome: 'ignored', reason: 'not a day file' });
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
});

test('an event that is neither a schedule nor an Object Created fails as InvalidRequest, starting nothing', async () => {
  await expect(handler({ date: '2021-07-02' }, lambdaContext(60_000, 'trigger'))).rejects.toThrow(
    InvalidRequest,
  );
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
});

test('without the state machine in its environment it fails naming the variable', async () => {
  delete process.env['DAILY_STATE_MACHINE_ARN'];
  await expect(
    handler(arrival('drop/session_user_data20210702.csv'), lambdaContext(60_000, 'trigger')),
  ).rejects.toThrow('missing environment variable DAILY_STATE_MACHINE_ARN');
});
