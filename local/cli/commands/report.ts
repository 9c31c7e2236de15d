import { stat } from 'node:fs/promises';
import path from 'node:path';

import { withLocalWarehouse } from '../../runner/query';
import { DEFAULT_WORKDIR, workdirPaths } from '../../runner/workdir';
import { writeReport } from '../../report';
import { parseCommandLine, positionals, warehouseUrl } from '../args';
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

export const reportCommand: Command = {
  name: 'report',
  summary: 'write the HTML report (the business questions, with charts) from the local warehouse',
  help: `Usage: search-stats report [--workdir DIR] [--warehouse URL] [--out FILE]

Runs the queries in sql/questions on the local warehouse and writes one self-contained HTML page
(inline CSS and SVG charts, no scripts). Prints the path written.

Options:
  --workdir DIR     local state directory (default ${DEFAULT_WORKDIR})
  --warehouse URL   postgres://... instead of the embedded PGlite
  --out FILE        where to write (default <workdir>/report.html; a directory gets report.html)
  -h, --help        show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('report', argv, {
      workdir: { type: 'string' },
      warehouse: { type: 'string' },
      out: { type: 'string' },
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
    const written = await withLocalWarehouse(
      { workdir, ...(url ? { warehouseUrl: url } : {}) },
      (warehouse) => writeReport((sql) => warehouse.query(sql), out),
    );
    io.stdout.write(`${written}\n`);
    return 0;
  },
};
