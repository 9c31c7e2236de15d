import { Parser, type ParseResult } from 'papaparse';
import { MalformedInput } from '../shared/errors';

/** One CSV record and where it starts in the file. */
export interface CsvRecord {
  /** 1-based physical line where the record starts (the header is line 1). */
  readonly line: number;
  readonly fields: readonly string[];
  /** Papaparse's complaint about the record's quoting, if any. */
  readonly error?: string;
}

/** A record this long is a broken file (an unterminated quote swallowing the rest), not a user. */
export const MAX_RECORD_CHARS = 32 * 1024 * 1024;
/** Above this, a record still incomplete is re-parsed only once the text has doubled. */
const LONG_RECORD_CHARS = 1024 * 1024;

type Newline = '\n' | '\r';

export interface CsvRecordOptions {
  /** Line number of the text's first line (the text may continue a file). @default 1 */
  readonly firstLine?: number;
  /** The file's line ending when already known. @default detected from the text */
  readonly newline?: Newline;
}

/**
 * The line ending of the file, from its first line break; undefined until one is seen. CRLF files
 * are parsed with '\n' and the '\r' that ends each record's last field is dropped: that also reads
 * files that mix CRLF and LF. Only a file of bare '\r' line ends is parsed with '\r'.
 */
function detectNewline(text: string, final: boolean): Newline | undefined {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr === -1 || (lf !== -1 && lf < cr)) return lf === -1 ? (final ? '\n' : undefined) : '\n';
  if (cr === text.length - 1 && !final) return undefined; // a '\n' may follow in the next chunk
  return text[cr + 1] === '\n' ? '\n' : '\r';
}

function countLineBreaks(fields: readonly string[], newline: Newline): number {
  let breaks = 0;
  for (const field of fields) {
    for (let i = field.indexOf(newline); i !== -1; i = field.indexOf(newline, i + 1)) breaks++;
  }
  return breaks;
}

interface IncrementalParser {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): ParseResult<string[]>;
}

/**
 * Streams CSV text into records, in batches (one per parsed chunk, so the caller awaits per chunk,
 * not per row). Built on papaparse's own parser, fed chunk by chunk the way its streamers do: parse
 * what has arrived, keep the incomplete last record for the next chunk. Blank lines are skipped
 * (not records) but counted in line numbers, as are line breaks inside quoted fields.
 */
export async function* csvRecordBatches(
  text: AsyncIterable<string>,
  options: CsvRecordOptions = {},
): AsyncGenerator<CsvRecord[]> {
  let newline: Newline | undefined = options.newline;
  let parser: IncrementalParser | undefined;
  let pending = '';
  let parseAtLength = 0;
  let line = options.firstLine ?? 1;

  const parse = (final: boolean): CsvRecord[] => {
    newline ??= detectNewline(pending, final) ?? '\n';
    parser ??= new Parser({ delimiter: ',', newline, quoteChar: '"' }) as IncrementalParser;
    const result = parser.parse(pending, 0, !final);
    const mayHoldBreaks = pending.indexOf('"') !== -1;
    const errors = new Map<number, string>();
    for (const e of result.errors)
      if (e.row !== undefined && !errors.has(e.row)) errors.set(e.row, e.message);
    const records: CsvRecord[] = [];
    result.data.forEach((fields, i) => {
      if (newline === '\n' && fields.length > 0) {
        const last = fields.length - 1;
        const value = fields[last] as string;
        if (value.endsWith('\r')) fields[last] = value.slice(0, -1);
      }
      const start = line;
      line += 1 + (mayHoldBreaks ? countLineBreaks(fields, newline as Newline) : 0);
      if (fields.length === 1 && fields[0] === '') return; // a blank line
      const error = errors.get(i);
      records.push(error === undefined ? { line: start, fields } : { line: start, fields, error });
    });
    pending = final ? '' : pending.slice(result.meta.cursor);
    return records;
  };

  const checkLength = (): void => {
    if (pending.length <= MAX_RECORD_CHARS) return;
    throw new MalformedInput(
      `the record starting at line ${line} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} Mi characters (an unterminated quote?)`,
    );
  };
  for await (const chunk of text) {
    pending += chunk;
    const undecided = newline === undefined && detectNewline(pending, false) === undefined;
    if (undecided || pending.length < parseAtLength) {
      checkLength();
      continue;
    }
    const records = parse(false);
    checkLength();
    // A very long record still incomplete: wait until the text doubles, so parsing stays linear.
    parseAtLength = pending.length > LONG_RECORD_CHARS ? pending.length * 2 : 0;
    if (records.length > 0) yield records;
  }
  if (pending !== '') {
    const records = parse(true);
    if (records.length > 0) yield records;
  }
}
