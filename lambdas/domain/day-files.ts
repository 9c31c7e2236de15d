/**
 * Which objects are day files, and the one name a day file's run gets. Pure: the Validate step, the
 * trigger (schedule and arrivals) and the local `watch` command all decide with these functions.
 */
import { isCompactDate } from './calendar';
import { bareEtag } from '../shared/s3-etag';

/** The accepted names of a day's file, after `session_user_data<YYYYMMDD>` (contract §1). */
export const DAY_FILE_EXTENSIONS = ['.zip', '.csv', '.csv.gz'] as const;

const DAY_FILE_NAME = /^session_user_data(\d{8})(\.zip|\.csv|\.csv\.gz)$/;
const DAY_MS = 86_400_000;

/** A day file's day, in both spellings. */
export interface DayFile {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** `YYYYMMDD` */
  readonly compactDate: string;
}

/** Every exact key of a day's file under `prefix`: `.csv.old`, `.zip.tmp` and the like are not among them. */
export function dayFileKeys(prefix: string, compactDate: string): string[] {
  return DAY_FILE_EXTENSIONS.map((ext) => `${prefix}session_user_data${compactDate}${ext}`);
}

/**
 * The day of `key` when it is a day file directly under `prefix` (a real calendar day, an accepted
 * extension); otherwise undefined (other objects under the prefix are not the pipeline's input).
 */
export function dayFileOf(key: string, prefix: string): DayFile | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const match = DAY_FILE_NAME.exec(key.slice(prefix.length));
  const compactDate = match?.[1];
  if (compactDate === undefined || !isCompactDate(compactDate)) return undefined;
  const date = `${compactDate.slice(0, 4)}-${compactDate.slice(4, 6)}-${compactDate.slice(6, 8)}`;
  return { date, compactDate };
}

/** The instant the day ends (UTC): before it, no scheduled run for the day has started. */
export function endOfDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS);
}

/**
 * Step Functions execution names are 1-80 characters; letters, digits, `-` and `_` are always safe
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
const MAX_EXECUTION_NAME = 80;

/**
 * The execution name of one version of a day file: `day-<YYYYMMDD>-<ETag>`. Every automatic start of
 * that version (the schedule, an arrival event, a duplicate event) asks for this name, and Step
 * Functions refuses a second execution of a name, so one object version starts one run. ETags are hex
 * with an optional `-<parts>` suffix; anything else is replaced by `_` so the name stays valid.
 */
export function dayFileExecutionName(compactDate: string, etag: string): string {
  const cleanEtag = bareEtag(etag).replace(/[^A-Za-z0-9-]/g, '_');
  return `day-${compactDate}-${cleanEtag}`.slice(0, MAX_EXECUTION_NAME);
}
