import { stat } from 'node:fs/promises';
import path from 'node:path';

import { writeLocalDashboard } from '../../dashboard';
import { DEFAULT_WORKDIR, workdirPaths } from '../../runner/workdir';
import { parseCommandLine, positionals, warehouseUrl } from '../args';
import type { Command } from '../command';

/** `--out` names a file; an existing directory gets `dashboard.html` inside it. */
async function dashboardFile(out: string | undefined, workdir: string): Promise<string> {
  if (out === undefined) return path.join(workdirPaths(workdir).root, 'dashboard.html');
  const info = await stat(out).catch(() => undefined);
  return path.resolve(info?.isDirectory() ? path.join(out, 'dashboard.html') : out);
}

export const dashboardCommand: Command = {
  name: 'dashboard',
  help: `Usage: search-stats dashboard [--workdir DIR] [--warehouse URL] [--out FILE]

Reads the operations dashboard from the synthesized stack (its widgets exactly where the deployed one
has them, on CloudWatch's 24-column grid) and fills its graphs with what the local run recorded: the
days' volumes and rejected share from the local warehouse, step durations, runs and step errors from
<workdir>/executions.jsonl. Metrics only AWS records (alarm states, throttles, Lambda durations) are
drawn empty, marked "no local data". Writes one self-contained HTML page and prints its path.

Options:
  --workdir DIR     local state directory (default ${DEFAULT_WORKDIR})
  --warehouse URL   postgres://... instead of the embedded PGlite
  --out FILE        where to write (default <workdir>/dashboard.html; a directory gets dashboard.html)
  -h, --help        show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('dashboard', argv, {
      workdir: { type: 'string' },
      warehouse: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    positionals('dashboard', rest, []);
    const url = warehouseUrl(values.warehouse);
    const workdir = values.workdir ?? DEFAULT_WORKDIR;
    const out = await dashboardFile(values.out, workdir);
    const written = await writeLocalDashboard({ workdir, ...(url ? { warehouseUrl: url } : {}) }, out);
    io.stdout.write(`${written}\n`);
    return 0;
  },
};
