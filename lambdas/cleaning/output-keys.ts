import type { PipelineConfig } from '../shared/function-env';

/** Where the clean step writes day D, all in the clean bucket (the IAM grants are scoped to these prefixes). */
export interface OutputKeys {
  readonly cleaned: string;
  readonly validSearches: string;
  readonly validSearchesManifest: string;
  readonly rejected: string;
  readonly runRecord: string;
}

export const VALID_SEARCHES_PREFIX = 'valid-searches/';
export const REJECTED_PREFIX = 'rejected/';
export const RUNS_PREFIX = 'runs/';

/** Fixed names per day, so a re-run replaces the day's outputs instead of adding to them. */
export function outputKeys(config: Pick<PipelineConfig, 'cleanPrefix'>, compactDate: string): OutputKeys {
  const name = `session_user_data${compactDate}`;
  return {
    cleaned: `${config.cleanPrefix}${name}.csv`,
    validSearches: `${VALID_SEARCHES_PREFIX}valid_searches${compactDate}.csv`,
    validSearchesManifest: `${VALID_SEARCHES_PREFIX}valid_searches${compactDate}.manifest`,
    rejected: `${REJECTED_PREFIX}${name}.rejected.csv`,
    runRecord: `${RUNS_PREFIX}${name}.json`,
  };
}
