/**
 * The three measured cases, each run alone in a fresh child process (child.ts):
 * - `s3`: the Lambda's `cleanDay`, reading the day object from the embedded S3 and writing the
 *   outputs back to it (the parent process hosts s3rver, as S3 is outside a Lambda);
 * - `file`: the same streaming cleaner (`cleanCsvBytes`) fed from a local file, its outputs encoded
 *   into part buffers and dropped: the clean step without S3;
 * - `bare`: papaparse alone streaming the same file (decompressed the same way): the ceiling;
 * - `s3-copy`: the day object streamed from the embedded S3, inflated, and its CSV bytes written back
 *   through the same multipart writer, nothing parsed: the S3 round trip alone (the floor of `s3`).
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import Papa from 'papaparse';
import { cleanDay } from '../../lambdas/cleaning/clean-day';
import { cleanCsvBytes, expectedUsers } from '../../lambdas/cleaning/clean-stream';
import { csvBytesOf } from '../../lambdas/cleaning/source-object';
import type { PipelineConfig } from '../../lambdas/shared/function-env';
import type { RowCounts, ValidatedDay } from '../../lambdas/shared/step-payloads';
import { S3MultipartWriter } from '../../lambdas/shared/s3-multipart';
import { DiscardingSinks } from './discarding-sinks';
import { localS3Client } from '../runner/s3-server';

export type CaseKind = 's3' | 'file' | 'bare' | 's3-copy';

export const CASE_KINDS: readonly CaseKind[] = ['s3', 'file', 'bare', 's3-copy'];

export interface CaseSpec {
  readonly kind: CaseKind;
  /** The day file on disk (file and bare cases). */
  readonly file: string;
  readonly date: string;
  /** The day object in the embedded S3 (s3 and s3-copy cases). */
  readonly s3?: { readonly endpoint: string; readonly day: ValidatedDay; readonly config: PipelineConfig };
}

export interface CaseOutcome {
  /** CSV records papaparse returned (bare, header included) or rows read (clean); 0 for s3-copy. */
  readonly rows: number;
  readonly counts?: RowCounts;
  /** Output bytes written (file and s3-copy cases). */
  readonly outputBytes?: number;
  /** CSV bytes parsed (bare case: a zip's inflated size). */
  readonly csvBytes?: number;
}

/** Read size for local files: what S3 and zip streams hand over is of the same order. */
const FILE_CHUNK_BYTES = 256 * 1024;

const fileStream = (file: string): Readable => createReadStream(file, { highWaterMark: FILE_CHUNK_BYTES });

async function runS3(spec: CaseSpec): Promise<CaseOutcome> {
  if (spec.s3 === undefined) throw new Error('the s3 case needs the embedded S3');
  const s3 = localS3Client(spec.s3.endpoint);
  const logger = new Logger({ serviceName: 'bench', logLevel: 'SILENT' });
  try {
    const result = await cleanDay({ s3, logger, config: spec.s3.config }, spec.s3.day);
    return { rows: result.counts.read, counts: result.counts };
  } finally {
    s3.destroy();
  }
}

async function runFile(spec: CaseSpec): Promise<CaseOutcome> {
  const { format, bytes } = await csvBytesOf(fileStream(spec.file));
  const sinks = new DiscardingSinks();
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(spec.file));
  const totals = await cleanCsvBytes(spec.date, bytes, sinks, { expectedUsers: expectedUsers(size, format) });
  return { rows: totals.counts.read, counts: totals.counts, outputBytes: sinks.finish().bytes };
}

/**
 * Papaparse's own streaming mode, its fastest (measured: a `chunk` callback beats `step` by about
 * 20%): a Node stream in (the file itself when it is CSV, else its inflated bytes), nothing else done.
 */
async function runBare(spec: CaseSpec): Promise<CaseOutcome> {
  const { format, bytes } = await csvBytesOf(fileStream(spec.file));
  let csvBytes = 0;
  async function* buffers(): AsyncGenerator<Buffer> {
    for await (const chunk of bytes) {
      csvBytes += chunk.byteLength;
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  const input = format === 'csv' ? fileStream(spec.file) : Readable.from(buffers());
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(input as unknown as File, {
      chunk: (results: Papa.ParseResult<unknown>) => {
        rows += results.data.length;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  if (format === 'csv') csvBytes = (await import('node:fs/promises').then((fs) => fs.stat(spec.file))).size;
  return { rows, csvBytes };
}

async function runS3Copy(spec: CaseSpec): Promise<CaseOutcome> {
  if (spec.s3 === undefined) throw new Error('the s3-copy case needs the embedded S3');
  const s3 = localS3Client(spec.s3.endpoint);
  const { source } = spec.s3.day;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }));
    const { bytes } = await csvBytesOf(out.Body as AsyncIterable<Uint8Array>);
    const writer = new S3MultipartWriter({ s3, bucket: spec.s3.config.cleanBucket, key: 'bench/s3-copy' });
    for await (const chunk of bytes) {
      writer.reserve(chunk.length).set(chunk, writer.offset);
      writer.commit(writer.offset + chunk.length);
      await writer.drain();
    }
    const written = await writer.complete();
    return { rows: 0, outputBytes: written.bytes };
  } finally {
    s3.destroy();
  }
}

export function runCase(spec: CaseSpec): Promise<CaseOutcome> {
  if (spec.kind === 's3') return runS3(spec);
  if (spec.kind === 'file') return runFile(spec);
  if (spec.kind === 's3-copy') return runS3Copy(spec);
  return runBare(spec);
}
