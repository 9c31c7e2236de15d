/**
 * Delimited text read the way a Distributed Map's S3 CSV ItemReader reads it, following "How Step
 * Functions parses input CSV files" (https://docs.aws.amazon.com/step-functions/latest/dg/example-csv-parse-dist-map.html):
 *
 * - fields are separated by the configured delimiter, records by newlines;
 * - a field enclosed in double quotes may hold the delimiter and newlines; `""` is one `"` (inside
 *   quotes and, as the guide's example `{""MyKey"":""MyValue""}` shows, outside them);
 * - a backslash escapes a backslash, a double quote or the delimiter (the character is kept as
 *   text); "a backslash followed by any other character is silently removed" (the character stays);
 * - a row shorter than the header gets empty strings for the missing values; a longer one has its
 *   extra fields skipped.
 *
 * Where the guide is silent, this reader decides (none of it arises in our staging CSV, which holds
 * no quote, backslash or CR): a quote opens a quoted field only at the field's start, a single one
 * elsewhere is text, and text after a closing quote is kept; CR, LF and CRLF all end a record; an empty line is no record; a backslash at the very end is
 * dropped. The point is that a staging file that would be read differently on AWS than by a
 * lenient parser is read differently here too, so the local scale-out path shows it.
 *
 * The parser is incremental (`StepFunctionsCsvParser`): text is pushed in pieces cut anywhere and it
 * holds only the record being read plus at most one character whose meaning depends on the next
 * one (a backslash, a quote, a CR), so reading a large object does not grow with it.
 */

const QUOTE = '"';
const BACKSLASH = '\\';

export class StepFunctionsCsvParser {
  private record: string[] = [];
  private field = '';
  private quoted = false; // inside a quoted field
  private fieldStart = true; // nothing of the current field read yet
  /** A last character held back until the next piece says what it means. */
  private pending = '';

  constructor(private readonly delimiter: string) {}

  /** Characters held between pushes: the record being read and the held-back character. */
  get heldChars(): number {
    return this.record.reduce((n, f) => n + f.length, 0) + this.field.length + this.pending.length;
  }

  /** Reads the next piece of text; returns the records it completes. */
  push(piece: string): string[][] {
    const text = this.pending + piece;
    this.pending = '';
    return this.read(text, false);
  }

  /** Ends the text; returns the last record if it had no line break. */
  end(): string[][] {
    const text = this.pending;
    this.pending = '';
    const records = this.read(text, true);
    if (this.field !== '' || this.record.length > 0 || !this.fieldStart) this.endRecord(records);
    this.quoted = false;
    return records;
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldStart = true;
  }

  private endRecord(records: string[][]): void {
    this.endField();
    const record = this.record;
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    this.record = [];
  }

  private read(text: string, final: boolean): string[][] {
    const records: string[][] = [];
    const delimiter = this.delimiter;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text[i] as string;
      // A character whose meaning depends on the next one waits for it (unless the text ends here).
      if (!final && i + 1 === n && (c === BACKSLASH || c === QUOTE || (c === '\r' && !this.quoted))) {
        this.pending = c;
        break;
      }
      if (c === BACKSLASH) {
        const next = text[i + 1];
        if (next === BACKSLASH || next === QUOTE || next === delimiter) {
          this.field += next;
          i++;
          this.fieldStart = false;
        }
        continue; // any other character: the backslash is dropped, the character read as usual
      }
      if (this.quoted) {
        if (c !== QUOTE) {
          const j = runEnd(text, i + 1, delimiter, true);
          this.field += text.slice(i, j);
          i = j - 1;
        } else if (text[i + 1] === QUOTE) {
          this.field += QUOTE;
          i++;
        } else this.quoted = false;
        continue;
      }
      if (c === QUOTE && this.fieldStart) {
        this.quoted = true;
        this.fieldStart = false;
      } else if (c === QUOTE) {
        this.field += QUOTE; // `""` outside quotes is one quote too (the guide's `{""MyKey"":...}` example)
        if (text[i + 1] === QUOTE) i++;
      } else if (c === delimiter) this.endField();
      else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        this.endRecord(records);
      } else {
        const j = runEnd(text, i + 1, delimiter, false);
        this.field += text.slice(i, j);
        this.fieldStart = false;
        i = j - 1;
      }
    }
    return records;
  }
}

/** Where the run of ordinary characters from `from` ends (read as one slice, not one by one). */
function runEnd(text: string, from: number, delimiter: string, quoted: boolean): number {
  let j = from;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === BACKSLASH || c === QUOTE) break;
    if (!quoted && (c === delimiter || c === '\n' || c === '\r')) break;
  }
  return j;
}

/** The records of `text`, each a list of field values. */
export function parseStepFunctionsCsv(text: string, delimiter: string): string[][] {
  const parser = new StepFunctionsCsvParser(delimiter);
  return [...parser.push(text), ...parser.end()];
}

/** The item of one record under `header`: a short row padded with '', a long row cut (as documented). */
export function csvRowAsItem(header: readonly string[], row: readonly string[]): Record<string, string> {
  return Object.fromEntries(header.map((name, c) => [name, row[c] ?? '']));
}

/** The items of the records under `header`. */
export function csvRowsAsItems(
  header: readonly string[],
  rows: readonly string[][],
): Record<string, string>[] {
  return rows.map((row) => csvRowAsItem(header, row));
}
