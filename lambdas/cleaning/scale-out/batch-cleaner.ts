import { cleanedRow, rawLine, rejectedRow, validSearchRows } from '../output-rows';
import { hash53 } from '../../domain/hash53';
import { REJECT_REASONS, type RejectReason } from '../../domain/reasons';
import { RowAccountant } from '../../domain/row-accountant';
import { parseUserData } from '../../domain/user-data';
import { summarizeUser } from '../../domain/user-summary';
import type { RowCounts } from '../../shared/step-payloads';
import { InvalidRequest } from '../../shared/errors';
import type { IndexEntry, Part } from './part-format';
import type { StagedRecord } from './staging-format';

function rejectReason(reason: string): RejectReason {
  if (!(REJECT_REASONS as readonly string[]).includes(reason)) {
    throw new InvalidRequest(`staging row carries an unknown reject reason ${JSON.stringify(reason)}`);
  }
  return reason as RejectReason;
}

/**
 * Cleans one batch of consecutive records with the single path's own rules and row renderers: the
 * clean step's RowAccountant (applied to this batch alone), summarizeUser, and the cleaned,
 * valid-search and rejected row functions. What only the whole day can decide (whether a user_id
 * was already kept in an earlier batch) is left to the Combine step: each row's entry in the index
 * says what the batch alone concluded and carries the hash of its user_data, so that step can settle
 * it exactly (see day-combiner.ts).
 */
export function cleanBatch(
  date: string,
  firstIndex: number,
  records: readonly StagedRecord[],
): Part & { counts: RowCounts } {
  const accountant = new RowAccountant();
  const entries: IndexEntry[] = [];
  let cleaned = '';
  let valid = '';
  let rejected = '';
  let raw = '';
  const rawOf = (record: StagedRecord): string => record.raw ?? rawLine([record.userId, record.userData]);
  const reject = (record: StagedRecord, reason: string, detail: string): number => {
    const text = rejectedRow({ line: record.line, reason, detail, raw: rawOf(record) });
    rejected += text;
    return text.length;
  };

  for (const record of records) {
    const { line, userId, userData } = record;
    if (record.csvRejection) {
      const { reason, detail } = record.csvRejection;
      accountant.reject(line, { reason: rejectReason(reason), detail });
      entries.push({ kind: 'final', line, reason, detail, rejected: reject(record, reason, detail) });
      continue;
    }
    const outcome = accountant.account({ line, userId, userData });
    if (outcome.kind === 'rejected') {
      const { reason, detail } = outcome;
      const text = reject(record, reason, detail);
      if (reason === 'duplicate_user_id') {
        entries.push({
          kind: 'conflict',
          line,
          userId,
          hash: hash53(userData),
          reason,
          detail,
          rejected: text,
        });
        continue;
      }
      const parsed = parseUserData(userData);
      // Rejected for its user_data (decided after the user_id lookup) or for its user_id (before it).
      if (!parsed.ok && parsed.reason === reason) {
        const rawText = rawOf(record);
        raw += rawText;
        entries.push({
          kind: 'unreadable',
          line,
          userId,
          hash: hash53(userData),
          reason,
          detail,
          rejected: text,
          raw: rawText.length,
        });
      } else {
        entries.push({ kind: 'final', line, reason, detail, rejected: text });
      }
      continue;
    }
    const rawText = rawOf(record);
    raw += rawText;
    const hash = hash53(userData);
    if (outcome.kind === 'duplicate') {
      entries.push({ kind: 'duplicate', line, userId, hash, raw: rawText.length });
      continue;
    }
    const user = summarizeUser(outcome.searches);
    let cleanedText = '';
    let validText = '';
    if (user.numEligibleSearches > 0) {
      cleanedText = cleanedRow(userId, userData, user);
      validText = validSearchRows(date, userId, user);
      cleaned += cleanedText;
      valid += validText;
    }
    entries.push({
      kind: 'kept',
      line,
      userId,
      hash,
      cleaned: cleanedText.length,
      valid: validText.length,
      raw: rawText.length,
      searches: user.numEligibleSearches,
      rental: user.numRental,
      sale: user.numSale,
      none: user.numNone,
    });
  }
  return {
    firstIndex,
    entries,
    cleaned,
    valid,
    rejected,
    raw,
    rawLength: raw.length,
    counts: accountant.counts,
  };
}
