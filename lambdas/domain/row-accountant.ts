import type { RowCounts } from '../shared/contracts';
import { hash53 } from './hash53';
import { USER_ID_MAX_BYTES, utf8ByteLength } from './limits';
import type { Rejection } from './reasons';
import type { Search } from './search';
import { parseUserData } from './user-data';

/** What happened to one CSV record. Every record read gets exactly one outcome. */
export type RowOutcome =
  | { readonly kind: 'kept'; readonly searches: readonly Search[] }
  | { readonly kind: 'duplicate' }
  | ({ readonly kind: 'rejected'; readonly line: number } & Rejection);

export interface CsvUserRecord {
  /** 1-based physical line where the record starts (the header is line 1). */
  readonly line: number;
  readonly userId: string;
  readonly userData: string;
}

/**
 * Classifies each record as kept, duplicate or rejected, and counts them so that
 * read = kept + duplicate + rejected always holds (SPEC 2).
 *
 * Dedup memory is one Map entry per kept user: user_id -> 53-bit hash of its user_data (a number,
 * not the text), so a 1M-user day costs tens of MB, not the size of the file.
 * Decisions:
 * - only kept lines are remembered: a line identical to a rejected one is judged (and rejected) on
 *   its own, so every bad line appears in the rejected-rows object with its line number; a later good
 *   line for a user whose earlier line was unreadable is kept (there is no readable conflict);
 * - same user_id and different user_data than a kept line: the later line is rejected
 *   (`duplicate_user_id`), the first one stays;
 * - user_id is compared exactly as written (no trimming, case-sensitive);
 * - an empty user_id, or one longer than the warehouse column (256 bytes), is rejected.
 */
export class RowAccountant {
  private readonly seen = new Map<string, number>();
  private read = 0;
  private kept = 0;
  private duplicate = 0;
  private rejected = 0;

  account(record: CsvUserRecord): RowOutcome {
    this.read++;
    const { line, userId, userData } = record;
    if (userId === '') return this.rejection(line, 'empty_user_id', 'user_id is empty');
    if (userId.length > USER_ID_MAX_BYTES / 3 && utf8ByteLength(userId) > USER_ID_MAX_BYTES) {
      return this.rejection(line, 'user_id_too_long', `user_id is longer than ${USER_ID_MAX_BYTES} bytes`);
    }
    const hash = hash53(userData);
    const seenHash = this.seen.get(userId);
    if (seenHash !== undefined) {
      if (seenHash === hash) {
        this.duplicate++;
        return { kind: 'duplicate' };
      }
      return this.rejection(
        line,
        'duplicate_user_id',
        `user_id "${userId}" was already kept with different user_data`,
      );
    }
    const parsed = parseUserData(userData);
    if (!parsed.ok) return this.rejection(line, parsed.reason, parsed.detail);
    this.seen.set(ownedCopy(userId), hash);
    this.kept++;
    return { kind: 'kept', searches: parsed.searches };
  }

  /** Counts a record rejected before its fields could be read (CSV-level problems). */
  reject(line: number, rejection: Rejection): RowOutcome {
    this.read++;
    return this.rejection(line, rejection.reason, rejection.detail);
  }

  get counts(): RowCounts {
    return { read: this.read, kept: this.kept, duplicate: this.duplicate, rejected: this.rejected };
  }

  private rejection(line: number, reason: Rejection['reason'], detail: string): RowOutcome {
    this.rejected++;
    return { kind: 'rejected', line, reason, detail };
  }
}

/**
 * A copy of `text` that does not keep its parent alive. V8 represents a substring of 13+ characters
 * as a slice of the parent string, so storing CSV fields as Map keys would pin every parsed chunk;
 * concatenating then slicing forces a flat copy of just this text.
 */
function ownedCopy(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
