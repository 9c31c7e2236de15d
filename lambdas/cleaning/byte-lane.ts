import { CONFLICT, KEPT } from '../domain/row-accountant';
import { USER_ID_MAX_BYTES } from '../domain/limits';
import { ByteUserDataReader } from '../domain/user-data-bytes';
import { CleanedRowWriter, ValidSearchRowWriter } from './byte-rows';
import type { CleanSinks } from './output-rows';
import type { DayCleaner } from './day-cleaner';

const LF = 10;
const CR = 13;
const COMMA = 44;
const SPACE = 32;
const ZERO = 48;
const NINE = 57;
/** Longer plain-number user_ids are kept as text (see seen-users.ts). */
const MAX_NUMERIC_DIGITS = 15;

/**
 * The fast lane of the clean step: reads complete lines straight from the input bytes. A line in
 * the usual shape (`user_id,user_data` columns, a printable-ASCII user_id, a user_data the byte
 * reader accepts, not a conflicting duplicate) is accounted and written here without creating a
 * string; any other line goes through the text route (DayCleaner), which is the reference: the
 * fast lane only ever takes lines on which both give the same result.
 *
 * The caller guarantees the bytes hold no quote character, no NUL and only valid UTF-8, and that
 * the file's lines end with '\n' (optionally "\r\n"): then a line is what papaparse would read as
 * one record, its fields split at every comma.
 */
export class ByteLane {
  private readonly reader = new ByteUserDataReader();
  private readonly cleanedRows: CleanedRowWriter;
  private readonly validSearchRows: ValidSearchRowWriter;
  /** True once the header is `user_id,user_data` (or `id,user_data`), the layout read here. */
  private usualLayout = false;
  /** The number of the next line (the header is line 1). */
  line = 1;

  constructor(
    private readonly cleaner: DayCleaner,
    sinks: CleanSinks,
    date: string,
  ) {
    this.cleanedRows = new CleanedRowWriter(sinks.cleaned);
    this.validSearchRows = new ValidSearchRowWriter(sinks.validSearches, date);
  }

  /** Cleans the lines in bytes[start, end); `end` is just after a '\n'. */
  lines(bytes: Buffer, start: number, end: number): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = start;
    while (at < end) {
      let next = this.usualLayout ? this.row(bytes, view, at, end) : -1;
      if (next === -1) {
        const lineFeed = bytes.indexOf(LF, at);
        this.textLine(bytes, at, lineFeed);
        next = lineFeed + 1;
      }
      this.line++;
      at = next;
    }
  }

  /** One line through the text route: split as papaparse would, handed to DayCleaner. */
  private textLine(bytes: Buffer, start: number, lineFeed: number): void {
    const fields = bytes.toString('utf8', start, lineFeed).split(',');
    const last = fields.length - 1;
    const value = fields[last] as string;
    if (value.endsWith('\r')) fields[last] = value.slice(0, -1);
    if (fields.length === 1 && fields[0] === '') return; // a blank line
    this.cleaner.accept({ line: this.line, fields });
    if (!this.usualLayout) {
      const columns = this.cleaner.columns;
      this.usualLayout = columns?.count === 2 && columns.userId === 0 && columns.userData === 1;
    }
  }

  /** The line at `start` in the usual shape: returns where the next line starts, or -1. */
  private row(bytes: Buffer, view: DataView, start: number, end: number): number {
    let p = start;
    let c = bytes[p] as number;
    if (c === LF) return p + 1; // blank lines are skipped, but counted
    if (c === CR && bytes[p + 1] === LF) return p + 2;
    let id = 0;
    while (c >= ZERO && c <= NINE) {
      id = id * 10 + (c - ZERO);
      c = bytes[++p] as number;
    }
    const digits = p - start;
    let name: string | undefined;
    if (c !== COMMA || digits === 0 || digits > MAX_NUMERIC_DIGITS || (digits > 1 && bytes[start] === ZERO)) {
      let blank = digits === 0;
      while (c !== COMMA) {
        if (c < 0x20 || c > 0x7e) return -1; // also stops at the line's end
        if (c !== SPACE) blank = false;
        c = bytes[++p] as number;
      }
      // Empty, blank (rejected by the text route) or too long.
      if (blank || p - start > USER_ID_MAX_BYTES) return -1;
      name = bytes.toString('latin1', start, p);
    }
    const idEnd = p;
    const reader = this.reader;
    const lineEnd = reader.readUserData(bytes, view, idEnd + 1, end);
    if (lineEnd === -1) return -1;
    const rows = this.cleaner.rows;
    const verdict =
      name === undefined
        ? rows.keepParsedId(id, reader.fingerprint)
        : rows.keepParsedName(name, reader.fingerprint);
    if (verdict === CONFLICT) return -1;
    if (verdict === KEPT && reader.validCount > 0) {
      this.cleaner.day.addCounts(reader.rental, reader.sale, reader.none);
      this.cleanedRows.write(bytes, view, start, lineEnd, reader);
      this.validSearchRows.write(bytes, view, start, idEnd, reader);
    }
    return bytes[lineEnd] === CR ? lineEnd + 2 : lineEnd + 1;
  }
}
