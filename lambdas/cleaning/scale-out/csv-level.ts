import type { CsvRecord } from '../csv-records';
import { readHeader } from '../day-cleaner';
import { loneCarriageReturn } from '../lone-carriage-return';
import { rawLine } from '../output-rows';
import type { Rejection } from '../../domain/reasons';
import type { StagedRecord } from './staging-format';

/** Where user_id and user_data are in the day file's records (the header, read by the clean step's rule). */
export interface RecordLayout {
  readonly userId: number;
  readonly userData: number;
  readonly count: number;
  /** True for a header of exactly `user_id,user_data` (or `id,user_data`): raw is rebuilt from the two fields. */
  readonly rawFromFields: boolean;
}

export function recordLayout(headerFields: readonly string[]): RecordLayout {
  const columns = readHeader(headerFields); // MalformedInput, with the single path's message, when unusable
  return { ...columns, rawFromFields: columns.count === 2 && columns.userId === 0 && columns.userData === 1 };
}

/**
 * The CSV-level verdict on a record, as `DayCleaner.accept` gives it (same conditions, same reason
 * and detail): a quoting error papaparse reported, a lone CR, or a field count other than the header's.
 * The equivalence tests in test/scale-out compare both paths' rejected rows byte for byte, so a
 * change to one of them that is not made to the other fails there.
 */
export function csvLevelRejection(record: CsvRecord, layout: RecordLayout): Rejection | undefined {
  if (record.error !== undefined) return { reason: 'malformed_csv', detail: record.error };
  const loneCr = loneCarriageReturn(record.fields);
  if (loneCr !== undefined) return loneCr;
  if (record.fields.length !== layout.count) {
    return {
      reason: 'wrong_column_count',
      detail: `${record.fields.length} fields, the header has ${layout.count}`,
    };
  }
  return undefined;
}

/** A record of the day file as the staging CSV carries it. */
export function toStagedRecord(record: CsvRecord, layout: RecordLayout): StagedRecord {
  const { line, fields } = record;
  const rejection = csvLevelRejection(record, layout);
  if (rejection) return { line, userId: '', userData: '', csvRejection: rejection, raw: rawLine(fields) };
  const userId = fields[layout.userId] as string;
  const userData = fields[layout.userData] as string;
  return layout.rawFromFields ? { line, userId, userData } : { line, userId, userData, raw: rawLine(fields) };
}
