/**
 * The opt-in test against a real AWS account (never part of `npm test`; its synth is, see
 * test/aws/deploy-and-run.test.ts). Run with credentials for a bootstrapped account and region:
 *
 *     npx tsx test/aws/deploy-and-run.ts
 *
 * It deploys a throwaway stack under a unique `stackName` (retainData=false, schedule disabled),
 * uploads one generated day, starts the daily state machine for it, waits for the execution, reads
 * the day's `search_stats` row through the Data API (as the reader role when the stack outputs
 * one, else as the caller), compares it with figures computed independently from the file, and
 * destroys the stack whatever happened. Exit code 0 only when the figures match and the stack is gone.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { App } from 'aws-cdk-lib';
import { DEFAULTS } from '../../lambdas/shared/function-env';
import { buildSearchStatsApp } from '../../lib/search-stats-app';
import type { SearchStatsStack, SearchStatsStackProps } from '../../lib/search-stats-stack';
import { dayFileName, generateDayCsv, zipDayCsv, DEFAULT_SEED } from '../../local/runner/generate';
import { redshiftDataQuery } from '../../local/report/redshift-data-query';
import { expectedStats, type ExpectedStats } from '../e2e/independent-counts';
import { deployStack, destroyStack } from './cdk-cli';

/** The day the test loads, and how many users it has (small: the run is about wiring, not volume). */
export const TEST_DAY = '2021-07-02';
const TEST_USERS = 2_000;
/** A Standard execution of one small day takes a few minutes; a cold warehouse adds some. */
const EXECUTION_DEADLINE_MS = 30 * 60_000;

/** The context the test deploys with: its own stack name, nothing retained, no scheduled runs. */
export function awsTestContext(stackName: string): Record<string, string> {
  return { stackName, retainData: 'false', scheduleEnabled: 'false' };
}

/** A stack name no earlier run used: `SearchStatsAwsTest<base36 time>`. */
export function uniqueStackName(now = Date.now()): string {
  return `SearchStatsAwsTest${now.toString(36)}`;
}

/** The stack exactly as `cdk deploy` builds it for the test (bin/app.ts with the test's context). */
export function buildAwsTestStack(
  stackName: string,
  baseContext: Record<string, unknown> = {},
  props: SearchStatsStackProps = {},
): SearchStatsStack {
  const app = new App({ context: { ...baseContext, ...awsTestContext(stackName) } });
  return buildSearchStatsApp(app, props);
}

const required = (outputs: Record<string, string>, key: string): string => {
  const value = outputs[key];
  if (value === undefined) throw new Error(`stack output ${key} missing`);
  return value;
};

async function waitForExecution(sfn: SFNClient, executionArn: string): Promise<string> {
  const deadline = Date.now() + EXECUTION_DEADLINE_MS;
  for (;;) {
    const { status, error, cause } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') {
      if (status !== 'SUCCEEDED') throw new Error(`execution ${status}: ${error ?? ''} ${cause ?? ''}`);
      return status;
    }
    if (Date.now() > deadline) throw new Error(`execution still running after ${EXECUTION_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
}

/** The reader role's ARN, if the stack outputs one (any output named `...Reader...RoleArn`). */
function readerRoleArn(outputs: Record<string, string>): string | undefined {
  const key = Object.keys(outputs).find((name) => /Reader.*RoleArn$/.test(name));
  return key === undefined ? undefined : outputs[key];
}

async function run(stackName: string, workDir: string): Promise<void> {
  const outputs = deployStack(stackName, awsTestContext(stackName), path.join(workDir, 'outputs.json'));

  const zip = zipDayCsv(TEST_DAY, generateDayCsv(TEST_DAY, DEFAULT_SEED, TEST_USERS));
  const zipFile = path.join(workDir, dayFileName(TEST_DAY));
  writeFileSync(zipFile, zip);
  const expected = expectedStats(zipFile);
  await new S3Client({}).send(
    new PutObjectCommand({
      Bucket: required(outputs, 'IncomingBucketName'),
      Key: `${DEFAULTS.incomingPrefix}${dayFileName(TEST_DAY)}`,
      Body: zip,
    }),
  );

  const sfn = new SFNClient({});
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: required(outputs, 'StateMachineArn'),
      input: JSON.stringify({ date: TEST_DAY }),
    }),
  );
  if (executionArn === undefined) throw new Error('StartExecution returned no execution ARN');
  console.log(`execution ${executionArn}: ${await waitForExecution(sfn, executionArn)}`);

  const reader = readerRoleArn(outputs);
  console.log(reader ? `reading search_stats as ${reader}` : 'no reader role output: reading as the caller');
  const client = new RedshiftDataClient(
    reader ? { credentials: fromTemporaryCredentials({ params: { RoleArn: reader } }) } : {},
  );
  const query = redshiftDataQuery(client, {
    workgroupName: required(outputs, 'WarehouseName'),
    database: 'dev',
  });
  const rows = await query(
    'SELECT num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches ' +
      `FROM search_stats WHERE day = '${TEST_DAY}'`,
  );
  const actual = rows[0] as ExpectedStats | undefined;
  console.log('expected', expected, 'search_stats', actual);
  if (rows.length !== 1 || JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`search_stats for ${TEST_DAY} differs from the independent count`);
  }
}

async function main(): Promise<void> {
  const stackName = uniqueStackName();
  const workDir = mkdtempSync(path.join(tmpdir(), `${stackName}-`));
  console.log(`throwaway stack ${stackName} (work files in ${workDir})`);
  try {
    await run(stackName, workDir);
    console.log('PASS: the day loaded and search_stats matches');
  } finally {
    // Always, also after a failed deploy: a half-created stack still costs (and holds names).
    try {
      destroyStack(stackName, awsTestContext(stackName));
    } catch (error) {
      console.error(
        `could not destroy ${stackName}: delete it by hand (cdk destroy / CloudFormation console)`,
        error,
      );
      process.exitCode = 1;
    }
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('FAIL:', error);
    process.exitCode = 1;
  });
}
