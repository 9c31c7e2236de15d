import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CleanOutputs as CleanOutputKeys } from '../shared/step-payloads';
import { S3MultipartWriter } from '../shared/s3-multipart';
import type { CleanSinks } from './output-rows';
import type { OutputKeys } from './output-keys';
import { CLEANED_HEADER, REJECTED_HEADER, VALID_SEARCHES_HEADER } from './output-rows';

const CSV = 'text/csv; charset=utf-8';

/**
 * The day's output objects, written while the input streams and made visible only by `commit()`
 * (or, over the rejected threshold, `commitRejectedOnly()`); `abort()` leaves nothing behind.
 */
export class CleanOutputs implements CleanSinks {
  readonly cleaned: S3MultipartWriter;
  readonly validSearches: S3MultipartWriter;
  private rejectedWriter: S3MultipartWriter | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    readonly keys: OutputKeys,
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

  private writer(key: string, header: string): S3MultipartWriter {
    const writer = new S3MultipartWriter({
      s3: this.s3,
      bucket: this.bucket,
      key,
      contentType: CSV,
      partSizeBytes: this.partSizeBytes,
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
    };
  }

  /**
   * Makes the day visible: valid searches and their COPY manifest, the cleaned dataset, the rejected
   * rows (or deletes a stale rejected object from an earlier run), and last the run record, so a run
   * record always describes outputs that exist.
   */
  async commit(runRecord: (keys: CleanOutputKeys) => unknown): Promise<void> {
    try {
      await this.validSearches.complete();
      const manifest = {
        entries: [{ url: `s3://${this.bucket}/${this.keys.validSearches}`, mandatory: true }],
      };
      await this.put(this.keys.validSearchesManifest, JSON.stringify(manifest), 'application/json');
      await this.cleaned.complete();
      if (this.rejectedWriter) await this.rejectedWriter.complete();
      else await this.delete(this.keys.rejected);
      await this.put(
        this.keys.runRecord,
        JSON.stringify(runRecord(this.outputKeys), null, 2),
        'application/json',
      );
    } catch (error) {
      // Some outputs may now be this run's and others an earlier run's: no run record may vouch for
      // them until a retry rewrites them all.
      await this.delete(this.keys.runRecord).catch(() => undefined);
      throw error;
    }
  }

  /** Over the threshold: only the rejected rows become visible (for diagnosis); the rest is dropped. */
  async commitRejectedOnly(): Promise<void> {
    await Promise.all([this.cleaned.abort(), this.validSearches.abort()]);
    await this.rejectedWriter?.complete();
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

  private async put(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }
}
