import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CleanOutputs as CleanOutputKeys } from '../shared/step-payloads';
import { S3MultipartWriter } from '../shared/s3-multipart';
import type { CleanSinks } from './output-rows';
import type { OutputKeys } from './output-keys';
import { CLEANED_HEADER, REJECTED_HEADER, VALID_SEARCHES_HEADER } from './output-rows';

const CSV = 'text/csv; charset=utf-8';

/** The user metadata key (`x-amz-meta-run-id`) naming the run that wrote an object. */
export const RUN_ID_METADATA = 'run-id';

/** What a failed run leaves: its rejected rows (if any) and its own record, both under its run id. */
export interface FailedRunOutputs {
  readonly bucket: string;
  readonly rejectedKey?: string;
  readonly runScopedRecordKey: string;
}

/**
 * The day's output objects, written while the input streams and made visible only by `commit()`
 * (or, for a run that fails its checks, `commitFailedRun()`); `abort()` leaves nothing behind.
 * Every object carries the run id in its `run-id` metadata; all but the cleaned dataset (whose name
 * the contract fixes) also in their key.
 */
export class CleanOutputs implements CleanSinks {
  readonly cleaned: S3MultipartWriter;
  readonly validSearches: S3MultipartWriter;
  private rejectedWriter: S3MultipartWriter | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    readonly keys: OutputKeys,
    private readonly runId: string,
    private readonly partSizeBytes?: number,
  ) {
    this.cleaned = this.writer(keys.cleaned, CLEANED_HEADER);
    this.validSearches = this.writer(keys.validSearches, VALID_SEARCHES_HEADER);
  }

  /** The rejected-rows writer, opened on the first rejection. */
  rejected(): S3MultipartWriter {
    this.rejectedWriter ??= this.writer(this.keys.rejected, REJECTED_HEADER);
    return this.rejectedWriter;
  }

  private get metadata(): Record<string, string> {
    return { [RUN_ID_METADATA]: this.runId };
  }

  private writer(key: string, header: string): S3MultipartWriter {
    const writer = new S3MultipartWriter({
      s3: this.s3,
      bucket: this.bucket,
      key,
      contentType: CSV,
      partSizeBytes: this.partSizeBytes,
      metadata: this.metadata,
    });
    writer.write(header);
    return writer;
  }

  private get writers(): S3MultipartWriter[] {
    return [this.cleaned, this.validSearches, ...(this.rejectedWriter ? [this.rejectedWriter] : [])];
  }

  /** Waits while any writer has a full part queued behind the one uploading (bounded memory). */
  async drain(): Promise<void> {
    await Promise.all(this.writers.map((w) => w.drain()));
  }

  /** The keys `commit()` will make visible. */
  get outputKeys(): CleanOutputKeys {
    return {
      bucket: this.bucket,
      cleanedKey: this.keys.cleaned,
      validSearchesKey: this.keys.validSearches,
      validSearchesManifestKey: this.keys.validSearchesManifest,
      ...(this.rejectedWriter ? { rejectedKey: this.keys.rejected } : {}),
      runRecordKey: this.keys.runRecord,
      runScopedRecordKey: this.keys.runScopedRecord,
    };
  }

  /** The keys `commitFailedRun()` will make visible. */
  get failedRunKeys(): FailedRunOutputs {
    return {
      bucket: this.bucket,
      ...(this.rejectedWriter ? { rejectedKey: this.keys.rejected } : {}),
      runScopedRecordKey: this.keys.runScopedRecord,
    };
  }

  /**
   * Makes the run the day's current one. First everything under the run's own keys (valid searches
   * and their COPY manifest, the rejected rows, the run's record), then the two current objects: the
   * cleaned dataset and, last, the day's current run record, so that record always describes
   * outputs that exist. Until the cleaned dataset's upload completes, the day's current outputs are
   * still the previous run's.
   */
  async commit(runRecord: (keys: CleanOutputKeys) => object): Promise<void> {
    let replacingCurrent = false;
    try {
      await this.validSearches.complete();
      const manifest = {
        entries: [{ url: `s3://${this.bucket}/${this.keys.validSearches}`, mandatory: true }],
      };
      await this.put(this.keys.validSearchesManifest, JSON.stringify(manifest), 'application/json');
      if (this.rejectedWriter) await this.rejectedWriter.complete();
      const record = runRecord(this.outputKeys);
      await this.putJson(this.keys.runScopedRecord, { status: 'succeeded', ...record });
      replacingCurrent = true;
      await this.cleaned.complete();
      await this.putJson(this.keys.runRecord, record);
    } catch (error) {
      // The cleaned dataset may now be this run's while the current record is an earlier run's: no
      // record may vouch for it until a retry rewrites both.
      if (replacingCurrent) await this.delete(this.keys.runRecord).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A run that failed its checks (rejected share, volume): its rejected rows and its own record
   * become visible under its run id, for diagnosis; the day's current outputs are left as they are.
   */
  async commitFailedRun(runRecord: (keys: FailedRunOutputs) => object): Promise<void> {
    await Promise.all([this.cleaned.abort(), this.validSearches.abort()]);
    await this.rejectedWriter?.complete();
    await this.putJson(this.keys.runScopedRecord, { status: 'failed', ...runRecord(this.failedRunKeys) });
  }

  /** Aborts every writer not yet completed. Rejects with the first abort error, after trying all. */
  async abort(): Promise<void> {
    const results = await Promise.allSettled(this.writers.map((w) => w.abort()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async putJson(key: string, record: object): Promise<void> {
    await this.put(key, JSON.stringify(record, null, 2), 'application/json');
  }

  private async put(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        Metadata: this.metadata,
      }),
    );
  }
}
