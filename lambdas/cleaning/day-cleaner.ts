import type { DayAggregates, RejectedRow, RowCounts } from '../shared/step-payloads';
import { MalformedInput } from '../shared/errors';
import { DayAggregator } from '../domain/day-aggregator';
import { RowAccountant, type RowOutcome } from '../domain/row-accountant';
import { summarizeUser } from '../domain/user-summary';
import type { CleanSinks } from './output-rows';
import type { CsvRecord } from './csv-records';
import { loneCarriageReturn } from './lone-carriage-return';
import { cleanedRow, rawLine, rejectedRow, validSearchRows } from './output-rows';

/** How many rejections the result and the notification quote. */
export const FIRST_REJECTIONS = 5;

export interface Columns {
  readonly userId: number;
  readonly userData: number;
  readonly count: number;
}

const shown = (fields: readonly string[]): string => rawLine(fields).slice(0, 200);

/**
 * Finds the columns in the header row. Decisions: names are matched trimmed and case-insensitively;
 * `user_id` is preferred, `id` accepted when there is no `user_id`; other columns are ignored;
 * a required column twice is a schema mismatch (which one holds the data is unknowable).
 */
export function readHeader(fields: readonly string[]): Columns {
  const names = fields.map((f) => f.trim().toLowerCase());
  const find = (name: string): number => {
    const first = names.indexOf(name);
    if (first !== -1 && names.lastIndexOf(name) !== first) {
      throw new MalformedInput(
        `schema mismatch: column ${name} appears twice in the header (${shown(fields)})`,
      );
    }
    return first;
  };
  const userData = find('user_data');
  const userIdColumn = find('user_id');
  const userId = userIdColumn !== -1 ? userIdColumn : find('id');
  if (userData === -1 || userId === -1) {
    throw new MalformedInput(
      `schema mismatch: the header needs user_id (or id) and user_data columns, found: ${shown(fields)}`,
    );
  }
  return { userId, userData, count: fields.length };
}

/**
 * Applies the day's rules to each CSV record and streams the rows to the outputs: the text route,
 * for the lines the fast lane (byte-lane.ts) does not take. Both share this state.
 */
export class DayCleaner {
  private header: Columns | undefined;
  readonly rows: RowAccountant;
  readonly day = new DayAggregator();
  readonly firstRejections: Pick<RejectedRow, 'line' | 'reason' | 'detail'>[] = [];

  constructor(
    private readonly date: string,
    private readonly outputs: CleanSinks,
    expectedUsers = 0,
  ) {
    this.rows = new RowAccountant(expectedUsers);
  }

  /** The header's columns, once read. */
  get columns(): Columns | undefined {
    return this.header;
  }

  accept(record: CsvRecord): void {
    if (this.header === undefined) {
      this.header = readHeader(record.fields);
      return;
    }
    const { fields, line } = record;
    const columns = this.header;
    let outcome: RowOutcome;
    const loneCr = record.error === undefined ? loneCarriageReturn(fields) : undefined;
    if (record.error !== undefined) {
      outcome = this.rows.reject(line, { reason: 'malformed_csv', detail: record.error });
    } else if (loneCr !== undefined) {
      outcome = this.rows.reject(line, loneCr);
    } else if (fields.length !== columns.count) {
      outcome = this.rows.reject(line, {
        reason: 'wrong_column_count',
        detail: `${fields.length} fields, the header has ${columns.count}`,
      });
    } else {
      const userId = fields[columns.userId] as string;
      const userData = fields[columns.userData] as string;
      outcome = this.rows.account({ line, userId, userData });
      if (outcome.kind === 'kept') {
        const user = summarizeUser(outcome.searches);
        this.day.add(user);
        if (user.numEligibleSearches > 0) {
          this.outputs.cleaned.write(cleanedRow(userId, userData, user));
          this.outputs.validSearches.write(validSearchRows(this.date, userId, user));
        }
      }
    }
    if (outcome.kind === 'rejected') {
      const { reason, detail } = outcome;
      this.outputs.rejected().write(rejectedRow({ line, reason, detail, raw: rawLine(fields) }));
      if (this.firstRejections.length < FIRST_REJECTIONS) this.firstRejections.push({ line, reason, detail });
    }
  }

  /** Throws when the input had no header row at all. */
  finish(): void {
    if (this.header === undefined) throw new MalformedInput('empty file: no header row');
  }

  get counts(): RowCounts {
    return this.rows.counts;
  }

  get aggregates(): DayAggregates {
    return this.day.aggregates;
  }
}
