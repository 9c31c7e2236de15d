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
 */

const QUOTE = '"';
const BACKSLASH = '\\';

/** The records of `text`, each a list of field values. */
export function parseStepFunctionsCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let fieldStart = true; // nothing of the current field read yet
  const endField = (): void => {
    record.push(field);
    field = '';
    fieldStart = true;
  };
  const endRecord = (): void => {
    endField();
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === BACKSLASH) {
      const next = text[i + 1];
      if (next === BACKSLASH || next === QUOTE || next === delimiter) {
        field += next;
        i++;
        fieldStart = false;
      }
      continue; // any other character: the backslash is dropped, the character read as usual
    }
    if (quoted) {
      if (c !== QUOTE) field += c;
      else if (text[i + 1] === QUOTE) {
        field += QUOTE;
        i++;
      } else quoted = false;
      continue;
    }
    if (c === QUOTE && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === QUOTE) {
      field += QUOTE; // `""` outside quotes is one quote too (the guide's `{""MyKey"":...}` example)
      if (text[i + 1] === QUOTE) i++;
    } else if (c === delimiter) endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += c;
      fieldStart = false;
    }
  }
  if (field !== '' || record.length > 0 || !fieldStart) endRecord();
  return records;
}

/** The items of the records under `header`: short rows padded with '', long rows cut (as documented). */
export function csvRowsAsItems(
  header: readonly string[],
  rows: readonly string[][],
): Record<string, string>[] {
  return rows.map((row) => Object.fromEntries(header.map((name, c) => [name, row[c] ?? ''])));
}
