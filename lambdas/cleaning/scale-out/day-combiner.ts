import type { CleanOutputs } from '../clean-outputs';
import { FIRST_REJECTIONS } from '../day-cleaner';
import { rejectedRow } from '../output-rows';
import { DayAggregator } from '../../domain/day-aggregator';
import type { Rejection } from '../../domain/reasons';
import { RowAccountant } from '../../domain/row-accountant';
import type { DayAggregates, RejectedRow, RowCounts } from '../../shared/step-payloads';
import type { IndexEntry, Part } from './part-format';

/**
 * The rejection the clean step's RowAccountant gives a later line of `userId` whose user_data differs
 * from the kept one. Asked of RowAccountant itself (a kept line with empty user_data, then another),
 * so reason and detail are the single path's, word for word.
 */
export function duplicateUserIdRejection(userId: string, line: number): Rejection {
  const probe = new RowAccountant();
  probe.account({ line: 1, userId, userData: '' });
  const outcome = probe.account({ line, userId, userData: '--' });
  if (outcome.kind !== 'rejected' || outcome.reason !== 'duplicate_user_id') {
    throw new Error(`RowAccountant did not reject a second user_data for user_id ${JSON.stringify(userId)}`);
  }
  return { reason: outcome.reason, detail: outcome.detail };
}

class InvariantViolation extends Error {
  override name = 'ScaleOutInvariantViolation';
}

/**
 * Settles every row of the day from the batches' user indexes, in file order, and streams the kept
 * and rejected rows' text to the day's outputs.
 *
 * Why the result is exactly the single path's: that path's RowAccountant decides a line from the
 * lines before it only through one map, user_id -> 53-bit hash of the user_data of the user_id's
 * kept line, and a line is kept iff it is the first readable line of its user_id (an earlier line
 * of that user_id either was unreadable, and is not remembered, or was itself the kept one). So:
 * 1. Rejections decided without that map (CSV level, empty or too long user_id) do not depend on
 *    other lines: a worker's verdict on them is final.
 * 2. Replaying the lookup here over all rows in file order, with the same kind of map, gives every
 *    other row the single path's verdict: a row of a user_id already kept is a duplicate (same
 *    user_data) or `duplicate_user_id` (other user_data), whatever its batch concluded; otherwise a
 *    row the batch kept is kept (the first readable line of the user_id in the file is the first in
 *    its batch, and the batch's accountant kept it), and a row the batch found unreadable stays
 *    rejected with its reason.
 * 3. Batches tile the rows in order (checked before this runs), so "file order" is batch order, then
 *    index order within a batch.
 * The counts are the single path's (every row gets one verdict), the aggregates too (the same kept
 * users, each adding its own summary's figures through the same DayAggregator), and the outputs are
 * the same bytes: each row's text was rendered by the same functions, and is written in file order
 * exactly when that path writes it. A user is counted once however its rows are spread over batches,
 * because only the row kept by the replay adds to the aggregates.
 *
 * "Same user_data" is "same 53-bit hash" here (hash53 of the text) as in the single path (its own
 * 53-bit hash): both accept the 2^-53 chance that two different user_data of one user_id collide,
 * and only such a collision, in either hash, could make the two paths disagree.
 */
export class DayCombiner {
  private readonly keptUsers = new Map<string, number>();
  private readonly day = new DayAggregator();
  private read = 0;
  private kept = 0;
  private duplicate = 0;
  private rejected = 0;
  readonly firstRejections: Pick<RejectedRow, 'line' | 'reason' | 'detail'>[] = [];

  constructor(private readonly outputs: CleanOutputs) {}

  /**
   * Whether combining `part` may need its raw section: only a row that its batch kept, found a
   * duplicate of its own kept line, or found unreadable can still turn into a `duplicate_user_id`
   * rejection, and only when its user_id was kept by an earlier batch (a user_id first kept in this
   * batch settles its later rows here the way the batch did).
   */
  needsRaw(part: Part): boolean {
    return part.entries.some(
      (e) =>
        (e.kind === 'kept' || e.kind === 'duplicate' || e.kind === 'unreadable') &&
        this.keptUsers.has(e.userId),
    );
  }

  add(part: Part): void {
    const at = { cleaned: 0, valid: 0, rejected: 0, raw: 0 };
    const take = (section: 'cleaned' | 'valid' | 'rejected', length: number): string => {
      const start = at[section];
      at[section] = start + length;
      return part[section].slice(start, start + length);
    };
    /** The row's raw text, read from the raw section only if it is asked for. */
    const raw = (length: number): (() => string) => {
      const start = at.raw;
      at.raw = start + length;
      return () => {
        if (part.raw === undefined) {
          throw new InvariantViolation(
            `part ${part.firstIndex}: a row needs the raw section, which was not read`,
          );
        }
        return part.raw.slice(start, start + length);
      };
    };
    for (const entry of part.entries) {
      this.read++;
      switch (entry.kind) {
        case 'final':
          this.reject(entry.line, entry, take('rejected', entry.rejected));
          break;
        case 'kept': {
          const cleaned = take('cleaned', entry.cleaned);
          const valid = take('valid', entry.valid);
          if (this.settleKeptUser(entry, raw(entry.raw))) break;
          this.keep(entry, cleaned, valid);
          break;
        }
        case 'duplicate':
          if (!this.settleKeptUser(entry, raw(entry.raw))) this.violation(entry, part);
          break;
        case 'conflict': {
          const text = take('rejected', entry.rejected);
          const keptHash = this.keptUsers.get(entry.userId);
          if (keptHash === undefined) this.violation(entry, part);
          else if (keptHash === entry.hash) this.duplicate++;
          else this.reject(entry.line, entry, text); // the batch rendered this very rejection
          break;
        }
        case 'unreadable': {
          const text = take('rejected', entry.rejected);
          if (!this.settleKeptUser(entry, raw(entry.raw))) this.reject(entry.line, entry, text);
          break;
        }
      }
    }
    for (const section of ['cleaned', 'valid', 'rejected'] as const) {
      if (at[section] !== part[section].length) {
        throw new InvariantViolation(
          `part ${part.firstIndex}: its index covers ${at[section]} of the ${part[section].length} characters of ${section}`,
        );
      }
    }
    if (at.raw !== part.rawLength || (part.raw !== undefined && part.raw.length !== part.rawLength)) {
      throw new InvariantViolation(`part ${part.firstIndex}: its index does not cover its raw section`);
    }
  }

  get counts(): RowCounts {
    return { read: this.read, kept: this.kept, duplicate: this.duplicate, rejected: this.rejected };
  }

  get aggregates(): DayAggregates {
    return this.day.aggregates;
  }

  /**
   * A row of a user_id already kept (by this or an earlier batch): a duplicate when its user_data
   * hashes the same, else rejected `duplicate_user_id`. False when the user_id is not kept yet.
   */
  private settleKeptUser(entry: { line: number; userId: string; hash: number }, raw: () => string): boolean {
    const keptHash = this.keptUsers.get(entry.userId);
    if (keptHash === undefined) return false;
    if (keptHash === entry.hash) {
      this.duplicate++;
      return true;
    }
    const rejection = duplicateUserIdRejection(entry.userId, entry.line);
    this.reject(entry.line, rejection, rejectedRow({ line: entry.line, ...rejection, raw: raw() }));
    return true;
  }

  private keep(entry: Extract<IndexEntry, { kind: 'kept' }>, cleaned: string, valid: string): void {
    this.keptUsers.set(entry.userId, entry.hash);
    this.kept++;
    this.day.add({
      validSearches: [],
      numEligibleSearches: entry.searches,
      avgListings: 0,
      numRental: entry.rental,
      numSale: entry.sale,
      numNone: entry.none,
    });
    if (cleaned !== '') this.outputs.cleaned.write(cleaned);
    if (valid !== '') this.outputs.validSearches.write(valid);
  }

  private reject(line: number, rejection: { reason: string; detail: string }, text: string): void {
    this.rejected++;
    this.outputs.rejected().write(text);
    if (this.firstRejections.length < FIRST_REJECTIONS) {
      this.firstRejections.push({ line, reason: rejection.reason, detail: rejection.detail });
    }
  }

  private violation(entry: IndexEntry, part: Part): never {
    throw new InvariantViolation(
      `part ${part.firstIndex}, line ${entry.line}: a ${entry.kind} row whose user_id was never kept`,
    );
  }
}
