import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bareEtag } from './s3-etag';

/** S3's smallest part (all parts but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** The buffer starts small (most outputs of a small day never fill a part) and doubles as needed. */
const INITIAL_BUFFER_BYTES = 64 * 1024;
/** `drain()` waits for the upload in flight once the part being filled is this close to full. */
const DRAIN_MARGIN_BYTES = 1024 * 1024;

export interface S3MultipartWriterOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** @default 'application/octet-stream' */
  readonly contentType?: string;
  /**
   * Buffered text becomes a part once it reaches this many bytes. Real S3 needs at least 5 MiB;
   * tests against s3rver may go lower to exercise several parts. @default MIN_PART_BYTES
   */
  readonly partSizeBytes?: number;
  /** User metadata of the object (`x-amz-meta-*`), e.g. the run that wrote it. @default none */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface WrittenObject {
  readonly bucket: string;
  readonly key: string;
  readonly bytes: number;
  /** Without quotes. */
  readonly etag: string;
}

/**
 * Streams text into one S3 object whose visibility is deferred to `complete()`: nothing is readable
 * under the key until then, and `abort()` leaves nothing behind. `@aws-sdk/lib-storage` cannot do
 * this (it completes as soon as its input ends), so the clean step can only commit after it has read
 * the whole input and checked the rejected share.
 *
 * Memory stays bounded and flat: text is UTF-8 encoded into a part buffer until the part is full, at
 * most one part is uploading, and `drain()` makes the caller wait when the part being filled is
 * nearly full while another uploads (or, after one huge write, while a full part is queued): about
 * two part buffers per writer, reused rather than left to the garbage collector.
 * An object that never fills a part is written with one PutObject at `complete()` (no multipart
 * upload at all).
 */
export class S3MultipartWriter {
  private readonly partSize: number;
  private readonly drainMargin: number;
  /** The part being filled: text is UTF-8 encoded as soon as it is written, so no string lingers. */
  private buffer: Buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  /**
   * A part buffer whose upload is done, reused for the next part: a writer never holds more than
   * three (filling, queued, uploading), and none waits for the garbage collector to be freed.
   */
  private spare: Buffer | undefined;
  private buffered = 0;
  private nextPartNumber = 1;
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];
  /** One promise per sealed part not yet settled, oldest first; they settle in order. */
  private readonly pending: Promise<void>[] = [];
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private state: 'open' | 'completed' | 'aborted' = 'open';
  private bytesWritten = 0;

  constructor(private readonly options: S3MultipartWriterOptions) {
    this.partSize = options.partSizeBytes ?? MIN_PART_BYTES;
    this.drainMargin = Math.min(DRAIN_MARGIN_BYTES, this.partSize / 2);
  }

  get key(): string {
    return this.options.key;
  }

  /** Appends text. Throws the upload error if a part already failed. */
  write(text: string): void {
    this.checkOpen();
    // A UTF-16 code unit is at most 3 UTF-8 bytes: count exactly only when it might not fit.
    if (text.length * 3 > this.buffer.length - this.buffered) {
      const needed = this.buffered + Buffer.byteLength(text);
      if (needed > this.buffer.length) this.grow(needed);
    }
    this.buffered += this.buffer.write(text, this.buffered);
    if (this.buffered >= this.partSize) this.seal();
  }

  /**
   * Direct writes for hot loops: returns the part buffer with at least `bytes` free from `offset`;
   * the caller writes there, then calls `commit` with the new end. Throws like `write`.
   */
  reserve(bytes: number): Buffer {
    this.checkOpen();
    if (this.buffer.length - this.buffered < bytes) this.grow(this.buffered + bytes);
    return this.buffer;
  }

  /** Where the next byte goes in the buffer `reserve` returned. */
  get offset(): number {
    return this.buffered;
  }

  /** Takes the bytes written after `reserve` up to `end`. */
  commit(end: number): void {
    this.buffered = end;
    if (end >= this.partSize) this.seal();
  }

  private checkOpen(): void {
    if (this.state !== 'open') throw new Error(`writer for ${this.options.key} is ${this.state}`);
    if (this.failure) throw this.failure.error;
  }

  private grow(needed: number): void {
    const grown = Buffer.allocUnsafe(
      Math.max(needed, Math.min(this.buffer.length * 2, this.partSize + INITIAL_BUFFER_BYTES)),
    );
    this.buffer.copy(grown, 0, 0, this.buffered);
    this.buffer = grown;
  }

  /**
   * Resolves once the writer can take about another MiB without holding a third part buffer: no
   * part queued behind the one uploading, and none uploading if the part being filled is nearly
   * full. Rejects with the upload error, if any.
   */
  async drain(): Promise<void> {
    while (
      this.pending.length > 1 ||
      (this.pending.length === 1 && this.buffered >= this.partSize - this.drainMargin)
    ) {
      await this.pending[0];
    }
    if (this.failure) throw this.failure.error;
  }

  /** Uploads what is left and makes the object visible. */
  async complete(): Promise<WrittenObject> {
    if (this.state !== 'open') throw new Error(`writer for ${this.options.key} is ${this.state}`);
    const { s3, bucket, key } = this.options;
    if (this.nextPartNumber === 1 && !this.failure) {
      const body = this.takeBuffered(false);
      const out = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: this.contentType,
          ...(this.options.metadata ? { Metadata: { ...this.options.metadata } } : {}),
        }),
      );
      this.state = 'completed';
      return { bucket, key, bytes: body.length, etag: bareEtag(out.ETag) };
    }
    if (this.buffered > 0) this.seal(false);
    await this.tail;
    if (this.failure) throw this.failure.error;
    const out = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
    this.state = 'completed';
    return { bucket, key, bytes: this.bytesWritten, etag: bareEtag(out.ETag) };
  }

  /** Drops the buffered text and aborts the multipart upload, if one was started. No-op once completed. */
  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    this.buffer = Buffer.alloc(0);
    this.spare = undefined;
    this.buffered = 0;
    await this.tail;
    if (this.uploadId === undefined) return;
    const { s3, bucket, key } = this.options;
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: this.uploadId }));
  }

  private get contentType(): string {
    return this.options.contentType ?? 'application/octet-stream';
  }

  /** Hands over the filled part; a new buffer takes its place only if more text may come. */
  private takeBuffered(more: boolean): Buffer {
    const body = this.buffer.subarray(0, this.buffered);
    const size = Math.min(this.buffer.length, this.partSize + INITIAL_BUFFER_BYTES); // a huge row was a one-off
    const spare = this.spare;
    this.spare = undefined;
    if (!more) this.buffer = Buffer.alloc(0);
    else this.buffer = spare !== undefined && spare.length >= size ? spare : Buffer.allocUnsafe(size);
    this.buffered = 0;
    this.bytesWritten += body.length;
    return body;
  }

  private seal(more = true): void {
    const whole = this.buffer;
    const body = this.takeBuffered(more);
    const partNumber = this.nextPartNumber++;
    const settled = this.tail.then(async () => {
      try {
        if (this.failure || this.state === 'aborted') return;
        this.uploadId ??= await this.createUpload();
        const out = await this.options.s3.send(
          new UploadPartCommand({
            Bucket: this.options.bucket,
            Key: this.options.key,
            UploadId: this.uploadId,
            PartNumber: partNumber,
            Body: body,
            ContentLength: body.length,
            ChecksumAlgorithm: 'CRC32',
          }),
        );
        this.parts.push({ PartNumber: partNumber, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32 });
        if (more) this.spare = whole; // the SDK is done with the body
      } catch (error) {
        this.failure ??= { error };
      } finally {
        this.pending.shift();
      }
    });
    this.pending.push(settled);
    this.tail = settled;
  }

  private async createUpload(): Promise<string> {
    const out = await this.options.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: this.options.bucket,
        Key: this.options.key,
        ContentType: this.contentType,
        ...(this.options.metadata ? { Metadata: { ...this.options.metadata } } : {}),
        // Parts carry CRC32 checksums (the SDK's default); the upload must declare the same algorithm.
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    if (out.UploadId === undefined)
      throw new Error(`CreateMultipartUpload for ${this.options.key} returned no UploadId`);
    return out.UploadId;
  }
}
