/**
 * Stable, machine-readable reasons a CSV line is rejected. They are part of the rejected-rows
 * contract (column `reason`) and of the notifications: never rename one, only add.
 */
export const REJECT_REASONS = [
  // CSV level
  'wrong_column_count',
  'malformed_csv',
  'lone_carriage_return',
  // user_id
  'empty_user_id',
  'user_id_too_long',
  'duplicate_user_id',
  'blank_user_id',
  'invalid_user_id',
  // user_data grammar
  'invalid_search_start',
  'missing_terminator',
  'invalid_separator',
  'malformed_field',
  'unknown_key',
  'duplicate_key',
  // required keys
  'missing_search_id',
  'missing_enabled',
  'missing_clicks',
  'missing_listings',
  // typed values
  'invalid_search_id',
  'invalid_enabled',
  'invalid_clicks',
  'invalid_listings',
  'invalid_created_at',
  'invalid_type',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** Why one line was rejected: a stable code and a human detail (which search, key, value). */
export interface Rejection {
  readonly reason: RejectReason;
  readonly detail: string;
}
