import type { RowCounts } from '../shared/step-payloads';
import { USER_ID_MAX_BYTES, utf8ByteLength } from './limits';
import type { Rejection } from './reasons';
import type { Search } from './search';
import { NOT_SEEN, SeenUsers } from './seen-users';
import { parseUserData, parsedFingerprint } from './user-data';

const BOM = '\uFEFF';

/** Only whitespace (as JavaScript's `\s`: ASCII and Unicode spaces). Most user_ids fail the first test. */
function isBlank(userId: string): boolean {
  const first = userId.charCodeAt(0);
  return (first <= 0x20 || first >= 0x80) && /^\s+$/.test(userId);
}

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

/** What the fast lane's `keepParsed*` found. */
export const KEPT = 0;
export const DUPLICATE = 1;
/** The user_id was kept with other user_data: nothing was counted, the caller rejects the line. */
export const CONFLICT = 2;

/**
 * Classifies each record as kept, duplicate or rejected, and counts them so that
 * read = kept + duplicate + rejected always holds (contract §2).
 *
 * Dedup memory is one entry per kept user: user_id -> 53-bit fingerprint of its user_data (see
 * fingerprint.ts and seen-users.ts), so a 1M-user day costs about 16 MB, not the size of the file.
 * Decisions:
 * - only kept lines are remembered: a line identical to a rejected one is judged (and rejected) on
 *   its own, so every bad line appears in the rejected-rows object with its line number; a later good
 *   line for a user whose earlier line was unreadable is kept (there is no readable conflict);
 * - same user_id and different user_data than a kept line: the later line is rejected
 *   (`duplicate_user_id`), the first one stays;
 * - user_id is compared exactly as written (no trimming, case-sensitive);
 * - an empty user_id, or one longer than the warehouse column (256 bytes), is rejected; so is one
 *   of only whitespace (`blank_user_id`: not trimmed to empty, as no value is trimmed) and one
 *   holding U+FEFF (`invalid_user_id`: a byte order mark from a concatenated file, which would
 *   otherwise make a second user that looks like the first). See docs/data-contract-decisions.md.
 */
export class RowAccountant {
  private readonly seen: SeenUsers;
  private read = 0;
  private kept = 0;
  private duplicate = 0;
  private rejected = 0;

  /** @param expectedUsers a guess of the day's users, to size the dedup memory up front. */
  constructor(expectedUsers = 0) {
    this.seen = new SeenUsers(expectedUsers);
  }

  account(record: CsvUserRecord): RowOutcome {
    this.read++;
    const { line, userId, userData } = record;
    if (userId === '') return this.rejection(line, 'empty_user_id', 'user_id is empty');
    const bom = userId.indexOf(BOM);
    if (bom !== -1) {
      return this.rejection(
        line,
        'invalid_user_id',
        `user_id holds U+FEFF (a byte order mark) at character ${bom + 1}`,
      );
    }
    if (isBlank(userId)) return this.rejection(line, 'blank_user_id', 'user_id holds only whitespace');
    if (userId.length > USER_ID_MAX_BYTES / 3 && utf8ByteLength(userId) > USER_ID_MAX_BYTES) {
      return this.rejection(line, 'user_id_too_long', `user_id is longer than ${USER_ID_MAX_BYTES} bytes`);
    }
    const parsed = parseUserData(userData);
    const seenFingerprint = parsed.ok
      ? this.seen.remember(userId, parsedFingerprint())
      : this.seen.find(userId);
    if (seenFingerprint !== NOT_SEEN) {
      if (parsed.ok && seenFingerprint === parsedFingerprint()) {
        this.duplicate++;
        return { kind: 'duplicate' };
      }
      return this.rejection(
        line,
        'duplicate_user_id',
        `user_id "${userId}" was already kept with different user_data`,
      );
    }
    if (!parsed.ok) return this.rejection(line, parsed.reason, parsed.detail);
    this.kept++;
    return { kind: 'kept', searches: parsed.searches };
  }

  /**
   * The fast lane's `account` for a line whose user_data parsed with `fingerprint` and whose user_id
   * is the plain decimal `id` (see seen-users.ts) and fits: counts it as kept or duplicate, or
   * counts nothing and answers CONFLICT (the caller then sends the line through `account`).
   */
  keepParsedId(id: number, fingerprint: number): number {
    return this.verdict(this.seen.rememberId(id, fingerprint), fingerprint);
  }

  /** As keepParsedId, for any other non-empty user_id that fits. */
  keepParsedName(userId: string, fingerprint: number): number {
    return this.verdict(this.seen.rememberName(userId, fingerprint), fingerprint);
  }

  /** Counts a record rejected before its fields could be read (CSV-level problems). */
  reject(line: number, rejection: Rejection): RowOutcome {
    this.read++;
    return this.rejection(line, rejection.reason, rejection.detail);
  }

  get counts(): RowCounts {
    return { read: this.read, kept: this.kept, duplicate: this.duplicate, rejected: this.rejected };
  }

  /** Users remembered for the dedup, and the bytes of their table (for the memory report). */
  get memory(): { readonly users: number; readonly tableBytes: number } {
    return { users: this.seen.size, tableBytes: this.seen.tableBytes };
  }

  private verdict(seenFingerprint: number, fingerprint: number): number {
    if (seenFingerprint === NOT_SEEN) {
      this.read++;
      this.kept++;
      return KEPT;
    }
    if (seenFingerprint !== fingerprint) return CONFLICT;
    this.read++;
    this.duplicate++;
    return DUPLICATE;
  }

  private rejection(line: number, reason: Rejection['reason'], detail: string): RowOutcome {
    this.rejected++;
    return { kind: 'rejected', line, reason, detail };
  }
}
