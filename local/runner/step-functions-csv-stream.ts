/**
 * The items of a CSV object read as a stream (the S3 CSV ItemReader's rows, step-functions-csv.ts):
 * bytes are decoded and parsed as they arrive and each item is yielded before the next piece is
 * read, so what is held is one piece, one record and whatever the consumer keeps.
 */
import { csvRowAsItem, StepFunctionsCsvParser } from './step-functions-csv';

export interface CsvItemsOptions {
  readonly delimiter: string;
  /** The header (`CSVHeaderLocation: GIVEN`); without it, the first record is the header. */
  readonly header?: readonly string[];
  /** Items yielded at most (`ReaderConfig.MaxItems`); reading stops there. */
  readonly maxItems?: number;
}

/** The records of a stream of UTF-8 bytes (or text), as they complete. */
export async function* csvRecords(
  source: AsyncIterable<Uint8Array | string>,
  delimiter: string,
): AsyncGenerator<string[]> {
  const parser = new StepFunctionsCsvParser(delimiter);
  const decoder = new TextDecoder('utf-8');
  for await (const piece of source) {
    const text = typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    yield* parser.push(text);
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}

/** One `{<header>: <value>}` object per data record, in order. */
export async function* csvItems(
  source: AsyncIterable<Uint8Array | string>,
  options: CsvItemsOptions,
): AsyncGenerator<Record<string, string>> {
  const limit = options.maxItems ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return;
  let header = options.header;
  let count = 0;
  for await (const record of csvRecords(source, options.delimiter)) {
    if (header === undefined) {
      header = record;
      continue;
    }
    yield csvRowAsItem(header, record);
    if (++count >= limit) return; // leaving the loop closes the source
  }
}
