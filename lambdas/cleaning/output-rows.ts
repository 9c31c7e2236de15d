import type { RejectedRow } from '../shared/step-payloads';
import type { UserSummary } from '../domain/user-summary';
import { validSearchDataJson } from '../domain/user-summary';

/** RFC 4180 output: quote a field only when it holds a quote, a comma or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

/**
 * Where the clean step writes its rows: S3 writers in the Lambda (CleanOutputs), anything with the
 * same shape elsewhere (the benchmark's discarding sinks).
 */

/** An output stream of UTF-8 text, written as strings or, in hot loops, as bytes in place. */
export interface ByteSink {
  write(text: string): void;
  /** A buffer with at least `bytes` free from `offset`: write there, then `commit(newOffset)`. */
  reserve(bytes: number): Buffer;
  readonly offset: number;
  commit(end: number): void;
}

export interface CleanSinks {
  readonly cleaned: ByteSink;
  readonly validSearches: ByteSink;
  /** Opened on the first rejection. */
  rejected(): ByteSink;
  /** Resolves when the sinks can take more (bounded memory: backpressure from the uploads). */
  drain(): Promise<void>;
}

/** contract §3.1, in this order. */
export const CLEANED_HEADER = csvLine([
  'user_id',
  'user_data',
  'valid_search_data',
  'num_eligible_searches',
  'avg_listings',
  'num_rental_search_type',
  'num_sale_search_type',
  'none_search_type',
]);

/** The `valid_searches` table's columns, in the order `sql/load/040_copy_valid_searches.sql` COPYs them. */
export const VALID_SEARCHES_HEADER = csvLine([
  'day',
  'user_id',
  'search_seq',
  'search_id',
  'clicks',
  'created_at',
  'listings',
  'type',
  'type_bucket',
]);

export const REJECTED_HEADER = csvLine(['line', 'reason', 'detail', 'raw']);

/** Raw lines longer than this are cut in the rejected-rows object (the line number finds the rest). */
export const RAW_MAX_CHARS = 10_000;

/** The user's cleaned row; user_data is written exactly as read. */
export function cleanedRow(userId: string, userData: string, user: UserSummary): string {
  return (
    `${csvField(userId)},${csvField(userData)},"${validSearchDataJson(user.validSearches, '""')}",` +
    `${user.numEligibleSearches},${user.avgListings},${user.numRental},${user.numSale},${user.numNone}\n`
  );
}

/**
 * One row per valid search. An absent created_at or type is written as an empty field (the table's
 * columns are NOT NULL and load empty text as '').
 */
export function validSearchRows(date: string, userId: string, user: UserSummary): string {
  const id = csvField(userId);
  let rows = '';
  for (const { seq, search, bucket } of user.validSearches) {
    rows +=
      `${date},${id},${seq},${search.searchId},${search.clicks},${search.createdAt ?? ''},` +
      `${search.listings},${csvField(search.type ?? '')},${bucket}\n`;
  }
  return rows;
}

/** The record as read, re-encoded as CSV, cut to RAW_MAX_CHARS. */
export function rawLine(fields: readonly string[]): string {
  const raw = csvLine(fields).slice(0, -1);
  return raw.length <= RAW_MAX_CHARS
    ? raw
    : `${raw.slice(0, RAW_MAX_CHARS)}...[cut, ${raw.length} characters]`;
}

export function rejectedRow(row: RejectedRow): string {
  return csvLine([String(row.line), row.reason, row.detail, row.raw]);
}
