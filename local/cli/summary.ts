/**
 * The end of a run: a table of the days on stdout (a reason for each failed day), a count line that
 * names the days not run, then each failure on stderr. The full failure notifications (JSON with
 * the error's cause, ~1.5 KB each) go to a file; `--verbose` prints them too.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

import type { DayResult } from '../runner/execute-day';
import { toTable } from './format';
import type { CliIo } from './io';

/** Longest reason shown in the table; the full text is on stderr and in the notifications file. */
const REASON_WIDTH = 72;

export interface SummaryOptions {
  /** Days the command set out to run: more than `results` when it was interrupted. */
  readonly planned: number;
  /** Where the notifications the state machine published are appended, one JSON line each. */
  readonly notificationsFile: string;
  /** Print each notification in full on stderr as well. @default false */
  readonly verbose?: boolean;
}

/** `InputNotFound: no object ...` cut to the table's width. */
export function shortReason(result: DayResult): string {
  const f = result.failure;
  if (!f) return result.status === 'FAILED' ? 'failed' : '';
  const reason = `${f.error}: ${f.cause.replace(/\s+/g, ' ')}`;
  return reason.length > REASON_WIDTH ? `${reason.slice(0, REASON_WIDTH - 3)}...` : reason;
}

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
    reason: shortReason(r),
  }));
}

/** One line per failed day: `2021-07-05 failed at Validate: InputNotFound: no object ...`. */
function failureLine(result: DayResult): string {
  const f = result.failure;
  return f
    ? `${result.day} failed at ${f.step}: ${f.error}: ${f.cause.replace(/\s*\n\s*/g, ' ')}`
    : `${result.day} failed`;
}

/** `6 of 10 days succeeded, 4 not run`. */
export function countLine(results: readonly DayResult[], planned: number): string {
  const failed = results.filter((r) => r.status === 'FAILED').length;
  const notRun = planned - results.length;
  return (
    `${results.length - failed} of ${planned} days succeeded` +
    (failed ? `, ${failed} failed` : '') +
    (notRun > 0 ? `, ${notRun} not run` : '')
  );
}

export async function printSummary(
  io: CliIo,
  results: readonly DayResult[],
  options: SummaryOptions,
): Promise<void> {
  const rows = summaryRows(results);
  io.stdout.write(toTable(Object.keys(rows[0] ?? { day: '' }), rows));
  io.stdout.write(`${countLine(results, options.planned)}\n`);
  const notified = results.filter((r) => r.notifications.length > 0);
  if (notified.length > 0) {
    await mkdir(path.dirname(options.notificationsFile), { recursive: true });
    const lines = notified.flatMap((r) =>
      r.notifications.map((n) => JSON.stringify({ day: r.day, topicArn: n.topicArn, message: n.message })),
    );
    await appendFile(options.notificationsFile, `${lines.join('\n')}\n`);
    for (const r of notified) {
      for (const n of r.notifications) {
        io.stderr.write(
          options.verbose
            ? `notification (captured locally, topic ${n.topicArn}): ${JSON.stringify(n.message)}\n`
            : `notification for ${r.day} (captured locally, topic ${n.topicArn}) in ${options.notificationsFile}\n`,
        );
      }
    }
  }
  for (const r of results) if (r.status === 'FAILED') io.stderr.write(`FAILED ${failureLine(r)}\n`);
}
