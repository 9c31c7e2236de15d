/**
 * The payloads that flow between the state machine's steps. Small records only: never the data.
 * Every step receives the previous step's result merged under its own key by the state machine
 * (`$.day`, `$.clean`, `$.load`), so a step's input is always the whole run so far.
 */

/** A day to process. `date` is the UTC day the data belongs to, `YYYY-MM-DD`. */
export interface DayRequest {
  readonly date: string;
}

/** Where the day's input object is, resolved by the validate step. */
export interface SourceObject {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly bytes: number;
}

/** Output of the validate step (`$.day`). */
export interface ValidatedDay {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** `YYYYMMDD`, as it appears in file names. */
  readonly compactDate: string;
  readonly source: SourceObject;
  /** Unique per execution; used for lineage and for unique staging keys. */
  readonly runId: string;
  /** The execution input said a day far below its recent days is expected (the volume guard). */
  readonly allowVolumeDrop?: boolean;
}

/** The day's aggregates, in `search_stats` terms. */
export interface DayAggregates {
  /** Users with at least one valid search. */
  readonly numUsers: number;
  /** Valid searches. */
  readonly numSearches: number;
  readonly numRentalSearches: number;
  readonly numSaleSearches: number;
  readonly numNoneSearches: number;
}

/** Every row read is accounted for: read = kept + duplicate + rejected. */
export interface RowCounts {
  readonly read: number;
  readonly kept: number;
  readonly duplicate: number;
  readonly rejected: number;
}

/** One rejected line, as written to the rejected-rows object. */
export interface RejectedRow {
  /** 1-based physical line number in the CSV (the header is line 1). */
  readonly line: number;
  /** A stable machine-readable code, e.g. `missing_clicks`, `duplicate_user_id`. */
  readonly reason: string;
  /** Human detail (which search, which key, which value). */
  readonly detail: string;
  /** The raw line as read (possibly truncated for very long lines). */
  readonly raw: string;
}

/** Output keys written by the clean step, all in the clean bucket. */
export interface CleanOutputs {
  readonly bucket: string;
  readonly cleanedKey: string;
  readonly validSearchesKey: string;
  /** COPY manifest listing exactly `validSearchesKey` (COPY treats a plain path as a prefix). */
  readonly validSearchesManifestKey: string;
  /** Present only when the day had rejected rows. */
  readonly rejectedKey?: string;
  /** The day's current run record: rewritten only when a run succeeds. */
  readonly runRecordKey: string;
  /** This run's own record (`runs/<YYYYMMDD>/<runId>.json`), written whether it succeeds or fails. */
  readonly runScopedRecordKey: string;
}

/** Output of the clean step (`$.clean`): the run record, minus nothing. */
export interface CleanResult {
  readonly date: string;
  readonly runId: string;
  readonly source: SourceObject;
  readonly format: 'zip' | 'gzip' | 'csv';
  readonly counts: RowCounts;
  readonly aggregates: DayAggregates;
  readonly outputs: CleanOutputs;
  /** The first few rejection reasons, for notifications. */
  readonly firstRejections: readonly Pick<RejectedRow, 'line' | 'reason' | 'detail'>[];
  readonly timings: { readonly startedAt: string; readonly finishedAt: string; readonly millis: number };
  readonly codeVersion: string;
}

/** Output of the load step (`$.load`). */
export interface LoadResult {
  readonly date: string;
  readonly runId: string;
  readonly searchStatsRows: number;
  readonly validSearchRows: number;
  /** Data API statement id (AWS) or a local marker. */
  readonly statementId: string;
  readonly millis: number;
}
