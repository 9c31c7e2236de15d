import { stat } from 'node:fs/promises';
import path from 'node:path';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';

import { withLocalWarehouse } from '../../runner/query';
import { DEFAULT_WORKDIR, workdirPaths } from '../../runner/workdir';
import { writeReport } from '../../report';
import type { RedshiftTarget } from '../../../lambdas/load/redshift-data-api';
import { redshiftDataQuery } from '../../report/redshift-data-query';
import { parseCommandLine, positionals, required, warehouseUrl } from '../args';
import { UsageError } from '../errors';
import type { Command } from '../command';

/** Where `report` and `demo` write the page. */
export function defaultReportFile(workdir: string): string {
  return path.join(workdirPaths(workdir).root, 'report.html');
}

/** `--out` names a file; an existing directory gets `report.html` inside it. */
async function reportFile(out: string | undefined, workdir: string): Promise<string> {
  if (out === undefined) return path.resolve(defaultReportFile(workdir));
  const info = await stat(out).catch(() => undefined);
  return path.resolve(info?.isDirectory() ? path.join(out, 'report.html') : out);
}

/** `--workgroup` or `--cluster` (with `--database`): the report reads Redshift instead. */
function redshiftTarget(values: {
  workgroup?: string;
  cluster?: string;
  database?: string;
  warehouse?: string;
}): RedshiftTarget | undefined {
  if (values.workgroup !== undefined && values.cluster !== undefined) {
    throw new UsageError('give --workgroup or --cluster, not both');
  }
  const database = values.database ?? 'dev';
  const remote =
    values.workgroup !== undefined
      ? { workgroupName: required('--workgroup', values.workgroup), database }
      : values.cluster !== undefined
        ? { clusterIdentifier: required('--cluster', values.cluster), database }
        : undefined;
  if (remote === undefined) {
    if (values.database !== undefined) throw new UsageError('--database needs --workgroup or --cluster');
    return undefined;
  }
  if (values.warehouse !== undefined)
    throw new UsageError('--warehouse is local; it cannot go with --workgroup or --cluster');
  return remote;
}

export const reportCommand: Command = {
  name: 'report',
  help: `Usage: search-stats report [--workdir DIR] [--warehouse URL] [--out FILE]
       search-stats report --workgroup NAME|--cluster ID [--database DB] [--out FILE]

Runs the queries in sql/questions on the local warehouse, or on Amazon Redshift through the Data API
(--workgroup or --cluster, as your AWS credentials: an analyst identity with the stack's
AnalystPolicyArn and the search_stats_reader role), and writes one self-contained HTML page (inline
CSS and SVG charts, no scripts). Prints the path written.

Options:
  --workdir DIR     local state directory (default ${DEFAULT_WORKDIR})
  --warehouse URL   postgres://... instead of the embedded PGlite
  --workgroup NAME  a Redshift Serverless workgroup (stack output WarehouseName)
  --cluster ID      a provisioned Redshift cluster (your IAM identity's database user)
  --database DB     the Redshift database (default dev)
  --out FILE        where to write (default <workdir>/report.html; a directory gets report.html)
  -h, --help        show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('report', argv, {
      workdir: { type: 'string' },
      warehouse: { type: 'string' },
      out: { type: 'string' },
      workgroup: { type: 'string' },
      cluster: { type: 'string' },
      database: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    positionals('report', rest, []);
    const url = warehouseUrl(values.warehouse);
    const workdir = values.workdir ?? DEFAULT_WORKDIR;
    const out = await reportFile(values.out, workdir);
    const target = redshiftTarget(values);
    if (target) {
      const client = new RedshiftDataClient({});
      try {
        io.stdout.write(`${await writeReport(redshiftDataQuery(client, target), out)}\n`);
      } finally {
        client.destroy();
      }
      return 0;
    }
    const written = await withLocalWarehouse(
      { workdir, ...(url ? { warehouseUrl: url } : {}) },
      (warehouse) => writeReport((sql) => warehouse.query(sql), out),
    );
    io.stdout.write(`${written}\n`);
    return 0;
  },
};
