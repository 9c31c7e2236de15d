/**
 * The end of a run: a table of the days on stdout, then each failure (day, step, reason) and each
 * notification the state machine published, on stderr.
 */
import type { DayResult } from '../runner/execute-day';
import { toTable } from './format';
import type { CliIo } from './io';

export function summaryRows(results: readonly DayResult[]): Record<string, unknown>[] {
  return results.map((r) => ({
    day: r.day,
    status: r.status,
    users: r.clean?.aggregates.numUsers ?? null,
    searches: r.clean?.aggregates.numSearches ?? null,
    rental: r.clean?.aggregates.numRentalSearches ?? null,
    sale: r.clean?.aggregates.numSaleSearches ?? null,
    none: r.clean?.aggregates.numNoneSearches ?? null,
    read: r.clean?.counts.read ?? null,
    kept: r.clean?.counts.kept ?? null,
    duplicate: r.clean?.counts.duplicate ?? null,
    rejected: r.clean?.counts.rejected ?? null,
    retries: r.retries,
    seconds: (r.millis / 1000).toFixed(1),
    failed_step: r.failure?.step ?? '',
  }));
}

/** One line per failed day: `2021-07-05 failed at Validate: InputNotFound: no object ...`. */
export function failureLine(result: DayResult): string {
  const f = result.failure;
  return f
    ? `${result.day} failed at ${f.step}: ${f.error}: ${f.cause.replace(/\s*\n\s*/g, ' ')}`
    : `${result.day} failed`;
}

export function printSummary(io: CliIo, results: readonly DayResult[]): void {
  const rows = summaryRows(results);
  io.stdout.write(toTable(Object.keys(rows[0] ?? { day: '' }), rows));
  const failed = results.filter((r) => r.status === 'FAILED');
  const ok = results.length - failed.length;
  io.stdout.write(
    `${ok} of ${results.length} days succeeded${failed.length ? `, ${failed.length} failed` : ''}\n`,
  );
  for (const r of results) {
    for (const n of r.notifications) {
      io.stderr.write(`notification (captured locally, topic ${n.topicArn}): ${JSON.stringify(n.message)}\n`);
    }
  }
  for (const r of failed) io.stderr.write(`FAILED ${failureLine(r)}\n`);
}
