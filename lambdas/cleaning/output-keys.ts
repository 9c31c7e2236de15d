import type { PipelineConfig } from '../shared/function-env';

/** Where the clean step writes day D, all in the clean bucket (the IAM grants are scoped to these prefixes). */
export interface OutputKeys {
  /** contract §3.1's fixed name: the day's current cleaned dataset, replaced only when a run commits. */
  readonly cleaned: string;
  /** This run's valid searches and their COPY manifest: `valid-searches/<D>/<runId>/...`. */
  readonly validSearches: string;
  readonly validSearchesManifest: string;
  /** This run's rejected rows: `rejected/<D>/<runId>/...`, kept whether the run succeeds or fails. */
  readonly rejected: string;
  /** The day's current run record: names the current outputs; rewritten only when a run succeeds. */
  readonly runRecord: string;
  /** This run's own record, `runs/<D>/<runId>.json`, succeeded or failed. */
  readonly runScopedRecord: string;
}

export const VALID_SEARCHES_PREFIX = 'valid-searches/';
export const REJECTED_PREFIX = 'rejected/';
export const RUNS_PREFIX = 'runs/';

/**
 * `<YYYYMMDD>/<runId>`: the folder part that makes a key this run's. No `day=`/`run=` labels: keys
 * stay within S3's safe characters, because the manifest key ends up in the COPY SQL text and Load
 * refuses anything else (lambdas/load/s3-uri.ts); run ids (execution names) are checked by
 * Validate to be letters, digits, `.`, `_` and `-`.
 */
export const runFolder = (compactDate: string, runId: string): string => `${compactDate}/${runId}`;

/** The day's current run record: what the volume guard reads for the previous days. */
export const currentRunRecordKey = (compactDate: string): string =>
  `${RUNS_PREFIX}session_user_data${compactDate}.json`;

/**
 * Every file a run writes names its run (in its key, or for the cleaned dataset, whose name the contract
 * fixes, in the `run-id` metadata and in the current run record), so a failed re-run can never pose
 * as the day's current state: the day's current outputs are the cleaned dataset and the run record
 * at their fixed names, and those only change when a run commits.
 */
export function outputKeys(
  config: Pick<PipelineConfig, 'cleanPrefix'>,
  compactDate: string,
  runId: string,
): OutputKeys {
  const name = `session_user_data${compactDate}`;
  const run = runFolder(compactDate, runId);
  return {
    cleaned: `${config.cleanPrefix}${name}.csv`,
    validSearches: `${VALID_SEARCHES_PREFIX}${run}/valid_searches${compactDate}.csv`,
    validSearchesManifest: `${VALID_SEARCHES_PREFIX}${run}/valid_searches${compactDate}.manifest`,
    rejected: `${REJECTED_PREFIX}${run}/${name}.rejected.csv`,
    runRecord: currentRunRecordKey(compactDate),
    runScopedRecord: `${RUNS_PREFIX}${run}.json`,
  };
}
