/**
 * The synthesized policies evaluated as IAM would evaluate them (@cloud-copilot/iam-simulate), for
 * the calls each function makes at run time and for calls it must never be able to make. The
 * template is placed in a fake account (test/infra/support/fake-cloud.ts); each call is signed as
 * the function's role session, whose `aws:userid` is `<role unique id>:<function name>`.
 */
import { outputKeys } from '../../lambdas/cleaning/output-keys';
import { STATEMENT_OWNER_KEY } from '../../lib/warehouse-client-role';
import { FAKE_ACCOUNT, FAKE_REGION, type TemplateJson } from './support/fake-cloud';
import { IamSimulation, type Call } from './support/iam-simulation';
import { synth } from './support/synth';

const DAY = '20210702';
const DAY_FILE = `user-data/session_user_data${DAY}.zip`;
const OUTPUTS = outputKeys({ cleanPrefix: 'user-data-clean/' }, DAY, 'run-1');
const OTHER_WORKGROUP = `arn:aws:redshift-serverless:${FAKE_REGION}:${FAKE_ACCOUNT}:workgroup/0f0f0f0f-1111-2222-3333-444455556666`;
const OTHER_ROLE_ID = 'AROAOTHERROLE00000001';

const objectArn = (bucket: string, key: string) => `${bucket}/${key}`;

let sim: IamSimulation;
let scaleOut: IamSimulation;
let incoming: string;
let clean: string;
let workgroup: string;

function bucketArn(s: IamSimulation, prefix: string): string {
  const ids = s.cloud.idsOfType('AWS::S3::Bucket').filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one bucket ${prefix}*, found ${ids.join(', ')}`);
  return s.cloud.getAtt(ids[0] as string, 'Arn');
}

beforeAll(() => {
  sim = new IamSimulation(synth().template.toJSON() as TemplateJson);
  scaleOut = new IamSimulation(synth({ scaleOut: true }).template.toJSON() as TemplateJson);
  incoming = bucketArn(sim, 'StorageIncoming');
  clean = bucketArn(sim, 'StorageClean');
  const [workgroupId] = sim.cloud.idsOfType('AWS::RedshiftServerless::Workgroup');
  workgroup = sim.cloud.getAtt(workgroupId as string, 'Workgroup.WorkgroupArn');
});

async function decisions(s: IamSimulation, functionPrefix: string, calls: Call[]): Promise<string[]> {
  const fn = s.functionId(functionPrefix);
  const results = await Promise.all(calls.map((call) => s.decide(fn, call)));
  return results.map((decision, i) => `${decision}: ${calls[i]?.action} ${calls[i]?.resource}`);
}

const allowed = (calls: Call[]) => calls.map((c) => `Allowed: ${c.action} ${c.resource}`);
const denied = (calls: Call[]) => calls.map((c) => `ImplicitlyDenied: ${c.action} ${c.resource}`);

/** A Data API statement call on a statement submitted by `ownerUserId`. */
const onStatement = (action: string, ownerUserId: string): Call => ({
  action: `redshift-data:${action}`,
  resource: '*',
  context: { 'redshift-data:statement-owner-iam-userid': ownerUserId },
});

/** GetObject on a key that does not exist: S3 checks ListBucket with s3:prefix = the key. */
const missingKeyCheck = (bucket: string, key: string): Call => ({
  action: 's3:ListBucket',
  resource: bucket,
  context: { 's3:prefix': key },
});

describe('a function of the pipeline may make the calls it makes at run time', () => {
  test('Validate lists the day candidates under the incoming prefix', async () => {
    const calls = [missingKeyCheck(incoming, `user-data/session_user_data${DAY}`)];
    expect(await decisions(sim, 'FunctionsValidateFunction', calls)).toEqual(allowed(calls));
  });

  test('Clean reads the day file, and a day file that is gone reads as not found (ListBucket on its key)', async () => {
    const calls = [
      { action: 's3:GetObject', resource: objectArn(incoming, DAY_FILE) },
      missingKeyCheck(incoming, DAY_FILE),
    ];
    expect(await decisions(sim, 'FunctionsCleanFunction', calls)).toEqual(allowed(calls));
  });

  test('Clean writes, replaces and aborts uploads of each of the day outputs', async () => {
    const keys = Object.values(OUTPUTS);
    const calls = keys.flatMap((key) =>
      ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'].map((action) => ({
        action,
        resource: objectArn(clean, key),
      })),
    );
    expect(await decisions(sim, 'FunctionsCleanFunction', calls)).toEqual(allowed(calls));
  });

  test('Load runs its batch on the workgroup with temporary credentials, then describes and cancels it', async () => {
    const load = sim.identityOf(sim.functionId('FunctionsLoadFunction'));
    const calls = [
      { action: 'redshift-data:BatchExecuteStatement', resource: workgroup },
      { action: 'redshift-serverless:GetCredentials', resource: workgroup },
      onStatement('DescribeStatement', load.userId),
      onStatement('CancelStatement', load.userId),
    ];
    expect(await decisions(sim, 'FunctionsLoadFunction', calls)).toEqual(allowed(calls));
  });

  test('the schema migrations: isComplete describes and cancels the statements onEvent submitted', async () => {
    const onEvent = sim.identityOf(sim.functionId('MigrationsOnEventFunction'));
    const isComplete = sim.identityOf(sim.functionId('MigrationsIsCompleteFunction'));
    expect(isComplete.userId).not.toBe(onEvent.userId); // two sessions of one role
    const submit = [{ action: 'redshift-data:BatchExecuteStatement', resource: workgroup }];
    expect(await decisions(sim, 'MigrationsOnEventFunction', submit)).toEqual(allowed(submit));
    const poll = [
      onStatement('DescribeStatement', onEvent.userId),
      onStatement('CancelStatement', onEvent.userId),
    ];
    expect(await decisions(sim, 'MigrationsIsCompleteFunction', poll)).toEqual(allowed(poll));
    // The migrations read the versions already applied from their own statement's result.
    const read = [
      { action: 'redshift-data:BatchExecuteStatement', resource: workgroup },
      onStatement('GetStatementResult', isComplete.userId),
    ];
    expect(await decisions(sim, 'MigrationsIsCompleteFunction', read)).toEqual(allowed(read));
  });

  test('any function of the Data API role may describe what a sibling submitted (Load a migration, and back)', async () => {
    const onEvent = sim.identityOf(sim.functionId('MigrationsOnEventFunction'));
    const load = sim.identityOf(sim.functionId('FunctionsLoadFunction'));
    const fromMigration = [onStatement('DescribeStatement', onEvent.userId)];
    const fromLoad = [onStatement('DescribeStatement', load.userId)];
    expect(await decisions(sim, 'FunctionsLoadFunction', fromMigration)).toEqual(allowed(fromMigration));
    expect(await decisions(sim, 'MigrationsOnEventFunction', fromLoad)).toEqual(allowed(fromLoad));
  });

  test('scale-out Prepare reads the day file, sees a missing one as not found and writes its staging objects', async () => {
    const stagingClean = bucketArn(scaleOut, 'StorageClean');
    const stagingIncoming = bucketArn(scaleOut, 'StorageIncoming');
    const calls = [
      { action: 's3:GetObject', resource: objectArn(stagingIncoming, DAY_FILE) },
      missingKeyCheck(stagingIncoming, DAY_FILE),
      { action: 's3:PutObject', resource: objectArn(stagingClean, 'scale-out/run-1/staging.csv') },
    ];
    expect(await decisions(scaleOut, 'ScaleOutPrepareFunction', calls)).toEqual(allowed(calls));
  });
});

describe('the Trigger may start the daily machine and list the day, nothing else', () => {
  const machineArn = () =>
    sim.cloud.ref(
      sim.cloud
        .idsOfType('AWS::StepFunctions::StateMachine')
        .find((id) => id.startsWith('WorkflowStateMachine')) as string,
    );
  const backfillArn = () =>
    sim.cloud.ref(
      sim.cloud
        .idsOfType('AWS::StepFunctions::StateMachine')
        .find((id) => id.startsWith('BackfillStateMachine')) as string,
    );
  const deadLetters = () =>
    sim.cloud.getAtt(
      sim.cloud.idsOfType('AWS::SQS::Queue').find((id) => id.startsWith('TriggerDeadLetters')) as string,
      'Arn',
    );

  test('allowed: StartExecution on the daily machine, ListBucket for the day, SendMessage to its dead letters', async () => {
    const calls = [
      { action: 'states:StartExecution', resource: machineArn() },
      missingKeyCheck(incoming, `user-data/session_user_data${DAY}`),
      { action: 'sqs:SendMessage', resource: deadLetters() },
    ];
    expect(await decisions(sim, 'TriggerFunction', calls)).toEqual(allowed(calls));
  });

  test('denied: the back-fill machine, stopping runs, reading or writing day files, listing outside the prefix', async () => {
    const calls = [
      { action: 'states:StartExecution', resource: backfillArn() },
      {
        action: 'states:StopExecution',
        resource: machineArn().replace(':stateMachine:', ':execution:') + ':day-1',
      },
      { action: 'states:StartSyncExecution', resource: machineArn() },
      { action: 's3:GetObject', resource: objectArn(incoming, DAY_FILE) },
      { action: 's3:PutObject', resource: objectArn(incoming, DAY_FILE) },
      missingKeyCheck(incoming, ''),
      missingKeyCheck(incoming, 'private/'),
      { action: 'sqs:ReceiveMessage', resource: deadLetters() },
      { action: 'redshift-data:BatchExecuteStatement', resource: workgroup },
    ];
    expect(await decisions(sim, 'TriggerFunction', calls)).toEqual(denied(calls));
  });
});

describe('a function of the pipeline may not make calls outside its job', () => {
  test('Load and the migrations may not touch another workgroup', async () => {
    const calls = [
      { action: 'redshift-data:BatchExecuteStatement', resource: OTHER_WORKGROUP },
      { action: 'redshift-serverless:GetCredentials', resource: OTHER_WORKGROUP },
    ];
    for (const fn of ['FunctionsLoadFunction', 'MigrationsOnEventFunction', 'MigrationsIsCompleteFunction']) {
      expect(await decisions(sim, fn, calls)).toEqual(denied(calls));
    }
  });

  test("no function may describe or cancel another role's statements, even from a session of the same name", async () => {
    const load = sim.identityOf(sim.functionId('FunctionsLoadFunction'));
    const calls = [
      onStatement('DescribeStatement', `${OTHER_ROLE_ID}:${load.functionName}`),
      onStatement('CancelStatement', `${OTHER_ROLE_ID}:${load.functionName}`),
      onStatement('DescribeStatement', OTHER_ROLE_ID),
      onStatement('GetStatementResult', `${OTHER_ROLE_ID}:${load.functionName}`),
    ];
    for (const fn of ['FunctionsLoadFunction', 'MigrationsIsCompleteFunction', 'FunctionsCleanFunction']) {
      expect(await decisions(sim, fn, calls)).toEqual(denied(calls));
    }
  });

  test('Clean may not read another bucket, write or delete incoming data, or read outside the incoming prefix', async () => {
    const calls = [
      { action: 's3:GetObject', resource: `arn:aws:s3:::someone-elses-bucket/${DAY_FILE}` },
      { action: 's3:GetObject', resource: objectArn(incoming, `private/session_user_data${DAY}.zip`) },
      { action: 's3:DeleteObject', resource: objectArn(incoming, DAY_FILE) },
      { action: 's3:PutObject', resource: objectArn(incoming, DAY_FILE) },
      { action: 's3:PutObject', resource: objectArn(clean, 'anything-else/x.csv') },
    ];
    expect(await decisions(sim, 'FunctionsCleanFunction', calls)).toEqual(denied(calls));
  });

  test('no function may list the incoming bucket outside the incoming prefix, nor another bucket', async () => {
    const calls = [
      missingKeyCheck(incoming, ''),
      missingKeyCheck(incoming, 'private/'),
      missingKeyCheck(incoming, 'user-dat'),
      missingKeyCheck('arn:aws:s3:::someone-elses-bucket', DAY_FILE),
    ];
    for (const fn of ['FunctionsValidateFunction', 'FunctionsCleanFunction']) {
      expect(await decisions(sim, fn, calls)).toEqual(denied(calls));
    }
    const stagingIncoming = bucketArn(scaleOut, 'StorageIncoming');
    const prepare = [missingKeyCheck(stagingIncoming, ''), missingKeyCheck(stagingIncoming, 'private/')];
    expect(await decisions(scaleOut, 'ScaleOutPrepareFunction', prepare)).toEqual(denied(prepare));
  });

  test('no function may delete incoming data', async () => {
    const call = { action: 's3:DeleteObject', resource: objectArn(incoming, DAY_FILE) };
    const functions = sim.cloud.idsOfType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(5);
    for (const fn of functions)
      expect(`${fn}: ${await sim.decide(fn, call)}`).toBe(`${fn}: ImplicitlyDenied`);
  });

  test('Validate may only list: it cannot read the day file itself', async () => {
    const calls = [{ action: 's3:GetObject', resource: objectArn(incoming, DAY_FILE) }];
    expect(await decisions(sim, 'FunctionsValidateFunction', calls)).toEqual(denied(calls));
  });
});

describe('with an existing provisioned cluster and a database user', () => {
  const redshift = (resource: string) => `arn:aws:redshift:${FAKE_REGION}:${FAKE_ACCOUNT}:${resource}`;
  let cluster: IamSimulation;
  beforeAll(() => {
    const context = { redshiftClusterId: 'analytics', redshiftDbUser: 'loader', redshiftDatabase: 'stats' };
    cluster = new IamSimulation(synth(context).template.toJSON() as TemplateJson);
  });

  test('Load runs SQL on that cluster as that user, and polls what the migrations submitted', async () => {
    const onEvent = cluster.identityOf(cluster.functionId('MigrationsOnEventFunction'));
    const calls = [
      { action: 'redshift-data:BatchExecuteStatement', resource: redshift('cluster:analytics') },
      { action: 'redshift:GetClusterCredentials', resource: redshift('dbuser:analytics/loader') },
      { action: 'redshift:GetClusterCredentials', resource: redshift('dbname:analytics/stats') },
      onStatement('DescribeStatement', onEvent.userId),
    ];
    expect(await decisions(cluster, 'FunctionsLoadFunction', calls)).toEqual(allowed(calls));
  });

  test('Load may not run SQL on another cluster or get credentials for another user or database', async () => {
    const calls = [
      { action: 'redshift-data:BatchExecuteStatement', resource: redshift('cluster:other') },
      { action: 'redshift:GetClusterCredentials', resource: redshift('dbuser:analytics/admin') },
      { action: 'redshift:GetClusterCredentials', resource: redshift('dbname:analytics/dev') },
      { action: 'redshift:GetClusterCredentials', resource: redshift('dbuser:other/loader') },
    ];
    expect(await decisions(cluster, 'FunctionsLoadFunction', calls)).toEqual(denied(calls));
  });
});

describe('the simulation itself', () => {
  test("refuses a sibling's statement under the former StringEquals ${aws:userid} condition (it can fail)", async () => {
    const template = structuredClone(sim.cloud.template);
    let replaced = 0;
    for (const resource of Object.values(template.Resources)) {
      const document = resource.Properties?.PolicyDocument as
        { Statement?: { Condition?: unknown }[] } | undefined;
      for (const statement of document?.Statement ?? []) {
        const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
        if (condition?.StringLike?.[STATEMENT_OWNER_KEY] === undefined) continue;
        statement.Condition = { StringEquals: { [STATEMENT_OWNER_KEY]: '${aws:userid}' } };
        replaced += 1;
      }
    }
    expect(replaced).toBe(1);
    const former = new IamSimulation(template);
    const onEvent = former.identityOf(former.functionId('MigrationsOnEventFunction'));
    const isComplete = former.functionId('MigrationsIsCompleteFunction');
    expect(await former.decide(isComplete, onStatement('DescribeStatement', onEvent.userId))).toBe(
      'ImplicitlyDenied',
    );
  });
});
