/**
 * `report --workgroup` reads Redshift through the Data API as the caller's IAM identity (an analyst
 * with the stack's AnalystPolicyArn and the search_stats_reader role). The Data API service is
 * mocked; each statement it receives is answered by running it on PGlite holding the same period,
 * so the page must equal the one rendered from PGlite directly, and every command sent is asserted.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type ExecuteStatementCommandInput,
  type Field,
} from '@aws-sdk/client-redshift-data';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';

import { main } from '../../local/cli/main';
import { queryVia, renderReport } from '../../local/report';
import { QUESTION_FILES, questionSql, type QuestionName } from '../../local/report/questions';
import { captureIo } from '../local/capture-io';
import { demoPeriod } from './support/demo-period';
import { createWarehouse, loadRows } from './support/warehouse';

const redshift = mockClient(RedshiftDataClient);
let db: PGlite;
let dir: string;

/** A value as the Data API returns it. */
function field(value: unknown): Field {
  if (value === null || value === undefined) return { isNull: true };
  if (typeof value === 'boolean') return { booleanValue: value };
  // The Data API returns a DATE as text, YYYY-MM-DD.
  if (value instanceof Date) return { stringValue: value.toISOString().slice(0, 10) };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { longValue: value } : { doubleValue: value };
  return { stringValue: String(value) };
}

beforeAll(async () => {
  db = await createWarehouse();
  const period = demoPeriod();
  await loadRows(db, period.stats, period.searches);
  dir = await mkdtemp(path.join(os.tmpdir(), 'report-reader-'));
}, 120_000);

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
  redshift.restore();
});

test('report --workgroup sends each question as written to the workgroup and renders the same page', async () => {
  const results = new Map<string, { fields: string[]; rows: Record<string, unknown>[] }>();
  let n = 0;
  redshift.on(ExecuteStatementCommand).callsFake(async (input: ExecuteStatementCommandInput) => {
    const id = `q-${++n}`;
    const result = await db.query<Record<string, unknown>>(input.Sql ?? '');
    results.set(id, { fields: result.fields.map((f) => f.name), rows: result.rows });
    return { Id: id };
  });
  redshift.on(DescribeStatementCommand).callsFake(({ Id }: { Id: string }) => ({
    Id,
    Status: 'FINISHED',
    HasResultSet: true,
  }));
  redshift.on(GetStatementResultCommand).callsFake(({ Id }: { Id: string }) => {
    const result = results.get(Id);
    return {
      ColumnMetadata: result?.fields.map((name) => ({ name })),
      Records: result?.rows.map((row) => result.fields.map((name) => field(row[name]))),
    };
  });

  const out = path.join(dir, 'report.html');
  const io = captureIo();
  const argv = ['report', '--workgroup', 'search-stats', '--database', 'dev', '--out', out];
  expect({ code: await main(argv, io), err: io.err() }).toEqual({ code: 0, err: '' });
  expect(io.out()).toBe(`${out}\n`);

  const sent = redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input);
  const questions = new Map(
    (Object.keys(QUESTION_FILES) as QuestionName[]).map((name) => [questionSql(name), name]),
  );
  expect(sent.length).toBeGreaterThanOrEqual(8);
  for (const input of sent) {
    expect(input).toEqual({
      WorkgroupName: 'search-stats',
      Database: 'dev',
      StatementName: 'report',
      Sql: expect.any(String),
    });
    expect(questions.has(input.Sql ?? '')).toBe(true);
  }
  // The generation time, and the chart renderer's instance numbers in its CSS class names, differ.
  const withoutTime = (page: string) =>
    page.replace(/generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/, '').replace(/zr\d+-(?:cls-\d+|c\d+)/g, 'zr');
  const direct = await renderReport(queryVia(db));
  expect(withoutTime(await readFile(out, 'utf8'))).toBe(withoutTime(direct));
});

test('report takes --workgroup or --cluster, not both, and not with the local --warehouse', async () => {
  for (const argv of [
    ['--workgroup', 'a', '--cluster', 'b'],
    ['--workgroup', 'a', '--warehouse', 'postgres://x@localhost/db'],
    ['--database', 'dev'],
  ]) {
    const io = captureIo();
    expect(await main(['report', ...argv], io)).toBe(2);
    expect(io.err()).toMatch(/--workgroup or --cluster|--warehouse is local|--database needs/);
  }
});
