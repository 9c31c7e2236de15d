/**
 * One line on what a `watch` execution that succeeded did to its day: loaded it, loaded nothing
 * because the day already holds this file version (Load's skipIfLoaded), or ended as Superseded
 * because a newer version of the file replaced it meanwhile (that version has its own run).
 */
import type { DayResult } from '../runner/execute-day';

/**
 * The Succeed state a run ends in when its object version was replaced (STATE_NAMES.superseded in
 * lib/workflow/daily-workflow.ts, not imported: that module loads the CDK; a test checks the name).
 */
export const SUPERSEDED_STATE = 'Superseded';

export function outcomeNote(result: DayResult): string | undefined {
  if (result.status !== 'SUCCEEDED') return undefined;
  const head = `${result.day} ${result.executionName}`;
  if (result.load?.skipped === 'AlreadyLoaded') {
    return `${head}: loaded nothing: the day's loaded source_etag is already this file's ETag`;
  }
  if (result.finalState === SUPERSEDED_STATE) {
    return `${head}: superseded: the file was replaced meanwhile; the new version has its own run`;
  }
  if (result.load) {
    const etag = result.validated?.source.etag ?? '';
    return `${head}: loaded ${result.load.validSearchRows} valid searches (source_etag ${etag})`;
  }
  return undefined;
}
