import { classifyOutputs, listStoredObjects } from '../../runner/outputs';
import { DEFAULT_WORKDIR, LOCAL_BUCKETS, workdirPaths } from '../../runner/workdir';
import { OUTPUT_FORMATS, formatRows } from '../format';
import { oneOf, parseCommandLine, positionals } from '../args';
import type { Command } from '../command';

const BUCKETS = Object.values(LOCAL_BUCKETS);

export const outputsCommand: Command = {
  name: 'outputs',
  help: `Usage: search-stats outputs [--workdir DIR] [--bucket clean|incoming] [--format table|csv|json]

Lists the objects of a bucket of the embedded S3 (default: the clean bucket, where the cleaned
datasets, valid-searches files, rejected rows and run records land, under the same keys as on AWS),
with the file on disk holding each object's bytes. In the clean bucket each object has a state:
"current" (a day's current outputs: what its run record runs/session_user_data<YYYYMMDD>.json
names), "failed run" (a failed run's own record and rejected rows, kept under its run id),
"earlier run" (outputs of a run a later one replaced), listed in that order, with the run id.

Options:
  --workdir DIR    local state directory (default ${DEFAULT_WORKDIR})
  --bucket NAME    ${BUCKETS.join(' or ')} (default ${LOCAL_BUCKETS.clean})
  --format FMT     table, csv or json (default table)
  -h, --help       show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('outputs', argv, {
      workdir: { type: 'string' },
      bucket: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    positionals('outputs', rest, []);
    const bucket = oneOf('--bucket', values.bucket, BUCKETS, LOCAL_BUCKETS.clean);
    const format = oneOf('--format', values.format, OUTPUT_FORMATS, 'table');
    const objects = await listStoredObjects(workdirPaths(values.workdir).s3, bucket);
    if (bucket === LOCAL_BUCKETS.clean) {
      const classified = await classifyOutputs(objects);
      io.stdout.write(formatRows(format, ['state', 'run', 'uri', 'bytes', 'file'], classified));
    } else {
      io.stdout.write(formatRows(format, ['uri', 'bytes', 'file'], objects));
    }
    return 0;
  },
};
