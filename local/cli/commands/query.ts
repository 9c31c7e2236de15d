import { queryLocalTable } from '../../runner/query';
import { DEFAULT_WORKDIR } from '../../runner/workdir';
import { oneOf, parseCommandLine, positionals, warehouseUrl } from '../args';
import type { Command } from '../command';
import { OUTPUT_FORMATS, formatRows } from '../format';
import { sqlText } from '../sql-text';

export const queryCommand: Command = {
  name: 'query',
  help: `Usage: search-stats query [--workdir DIR] [--warehouse URL] [--format table|csv|json] "SQL"
       search-stats query [options] --file PATH   (PATH - reads standard input)

Runs one SQL statement on the local warehouse (the PGlite database under the work directory, or the
PostgreSQL server given with --warehouse) and prints the rows. With --format csv, stdout holds only
the CSV (header + rows), so it can be piped. --file runs a file as it is (the questions in
sql/questions/ start with -- comments, which as an argument would read as an option).

Examples:
  search-stats query "SELECT * FROM search_stats ORDER BY day"
  search-stats query --format csv "SELECT day, num_searches FROM search_stats" > searches.csv
  search-stats query --file sql/questions/03_users_per_day.sql
  cat my-question.sql | search-stats query --format json --file -

Options:
  --workdir DIR     local state directory (default ${DEFAULT_WORKDIR})
  --warehouse URL   postgres://... instead of the embedded PGlite
  --format FMT      table, csv or json (default table)
  --file PATH       the SQL from a file (- for standard input) instead of an argument
  -h, --help        show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('query', argv, {
      workdir: { type: 'string' },
      warehouse: { type: 'string' },
      format: { type: 'string' },
      file: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const format = oneOf('--format', values.format, OUTPUT_FORMATS, 'table');
    const url = warehouseUrl(values.warehouse);
    const [positional] = positionals('query', rest, values.file === undefined ? ['"SQL"'] : []);
    const sql = await sqlText(values.file, positional, io);
    const { columns, rows } = await queryLocalTable(
      { workdir: values.workdir ?? DEFAULT_WORKDIR, ...(url ? { warehouseUrl: url } : {}) },
      sql,
    );
    io.stdout.write(formatRows(format, columns, rows));
    if (format === 'table') io.stderr.write(`(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
    return 0;
  },
};
