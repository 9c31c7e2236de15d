/**
 * Which automatic start a day file gets, and under which name. Pure: the Trigger Lambda (the daily
 * schedule and S3 "Object Created" events) and the local `watch` command decide with these functions,
 * so one object version always asks for the same execution name with the same input, and Step
 * Functions refuses the second execution of a name
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
import { previousUtcDay, toCompactDate } from '../domain/calendar';
import { dayFileExecutionName, dayFileOf, endOfDay } from '../domain/day-files';
import { bareEtag } from '../shared/s3-etag';

/** What an "Object Created" event says about the object (the parts a decision needs). */
export interface ObjectArrival {
  readonly bucket: string;
  readonly key: string;
  /** The object version's ETag, with or without the surrounding quotes S3 listings add. */
  readonly etag: string;
  /** When the object was created: the event's `time` (locally: now). */
  readonly time: Date;
}

/** Where the day files are. */
export interface TriggerConfig {
  /** The incoming prefix, e.g. `user-data/` (empty: the bucket's root). */
  readonly prefix: string;
  /** The incoming bucket: an object of another bucket is ignored. @default any bucket */
  readonly bucket?: string;
}

/**
 * The execution input of one day file version: it depends only on (day, key, ETag), so every start
 * of that version is the same StartExecution request (name and input).
 */
export interface DayFileRunInput {
  readonly date: string;
  /** The object version the run is for: Validate ends the run as Superseded when it has been replaced. */
  readonly source: { readonly key: string; readonly etag: string };
  /** Load loads nothing when the day's loaded `source_etag` is already this ETag. */
  readonly skipIfLoaded: true;
}

/** A scheduled run that found no single day file: Validate fails it once, without retries. */
export interface ScheduledRunInput {
  readonly date: string;
  readonly scheduled: true;
}

/** A StartExecution request for the daily state machine. */
export interface StartRequest<I = DayFileRunInput | ScheduledRunInput> {
  readonly action: 'start';
  readonly date: string;
  readonly name: string;
  readonly input: I;
}

/** What to do with an arrival. */
export type ArrivalDecision =
  | { readonly action: 'ignore'; readonly reason: 'not a day file' | 'not the incoming bucket' }
  | { readonly action: 'leftToSchedule'; readonly date: string }
  | StartRequest<DayFileRunInput>;

/** The one StartExecution request (name and input) for a version of the day's file. */
export function dayFileStart(date: string, key: string, etag: string): StartRequest<DayFileRunInput> {
  const bare = bareEtag(etag);
  return {
    action: 'start',
    date,
    name: dayFileExecutionName(toCompactDate(date), bare),
    input: { date, source: { key, etag: bare }, skipIfLoaded: true },
  };
}

/**
 * An object arrived: another bucket's or not a day file -> ignore; its day is not over yet -> the day's scheduled run
 * will find it (the latest version then); otherwise start the day file's run (a late or corrected file).
 */
export function decideArrival(arrival: ObjectArrival, config: TriggerConfig): ArrivalDecision {
  if (config.bucket !== undefined && arrival.bucket !== config.bucket) {
    return { action: 'ignore', reason: 'not the incoming bucket' };
  }
  const day = dayFileOf(arrival.key, config.prefix);
  if (day === undefined) return { action: 'ignore', reason: 'not a day file' };
  if (arrival.time.getTime() < endOfDay(day.date).getTime()) {
    return { action: 'leftToSchedule', date: day.date };
  }
  return dayFileStart(day.date, arrival.key, arrival.etag);
}

/** What the schedule's listing of the day found. */
export type ScheduledListing =
  | { readonly found: 'one'; readonly key: string; readonly etag: string }
  | { readonly found: 'none' | 'several' };

/** The name of a scheduled run that found no single day file. */
export function scheduledRunName(compactDate: string): string {
  return `day-${compactDate}-scheduled`;
}

/** The day the schedule firing at `time` runs: the UTC day before it. */
export function scheduledDay(time: Date): string {
  return previousUtcDay(time);
}

/**
 * The schedule fired for `date`: exactly one day file -> the same request its arrival would make
 * (so the schedule and the event never both load it); none or several -> a run marked `scheduled`,
 * whose Validate fails once and is notified (an arrival later starts its own run).
 */
export function decideScheduled(date: string, listing: ScheduledListing): StartRequest {
  if (listing.found === 'one') return dayFileStart(date, listing.key, listing.etag);
  return {
    action: 'start',
    date,
    name: scheduledRunName(toCompactDate(date)),
    input: { date, scheduled: true },
  };
}
