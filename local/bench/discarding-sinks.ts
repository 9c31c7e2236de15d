import { createHash, type Hash } from 'node:crypto';
import type { ByteSink, CleanSinks } from '../../lambdas/cleaning/output-rows';
import { MIN_PART_BYTES } from '../../lambdas/shared/s3-multipart';

/**
 * A ByteSink that does the S3 writer's buffering work (UTF-8 encoding into a part buffer of the
 * same size) and then drops each full part instead of uploading it: the file-source benchmark
 * measures the clean step without S3. Counts the bytes, and can digest them (for comparing outputs).
 */
export class DiscardingSink implements ByteSink {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private buffered = 0;
  private readonly digest: Hash | undefined;
  bytes = 0;

  constructor(
    digest = false,
    private readonly partSize = MIN_PART_BYTES,
  ) {
    this.digest = digest ? createHash('sha256') : undefined;
  }

  write(text: string): void {
    const out = this.reserve(Buffer.byteLength(text));
    this.commit(this.buffered + out.write(text, this.buffered));
  }

  reserve(bytes: number): Buffer {
    if (this.buffer.length - this.buffered < bytes) {
      // Grows as the S3 writer's part buffer does: doubling, up to a part and a bit.
      const doubled = Math.min(this.buffer.length * 2, this.partSize + 64 * 1024);
      const grown = Buffer.allocUnsafe(Math.max(this.buffered + bytes, doubled));
      this.buffer.copy(grown, 0, 0, this.buffered);
      this.buffer = grown;
    }
    return this.buffer;
  }

  get offset(): number {
    return this.buffered;
  }

  commit(end: number): void {
    this.buffered = end;
    if (end >= this.partSize) this.flush();
  }

  /** Drops what is buffered (after digesting it); returns the hex digest when digesting. */
  finish(): string | undefined {
    this.flush();
    return this.digest?.digest('hex');
  }

  private flush(): void {
    this.digest?.update(this.buffer.subarray(0, this.buffered));
    this.bytes += this.buffered;
    this.buffered = 0;
  }
}

/** The three outputs of the clean step, discarded. */
export class DiscardingSinks implements CleanSinks {
  readonly cleaned: DiscardingSink;
  readonly validSearches: DiscardingSink;
  private rejectedSink: DiscardingSink | undefined;

  constructor(private readonly digest = false) {
    this.cleaned = new DiscardingSink(digest);
    this.validSearches = new DiscardingSink(digest);
  }

  rejected(): DiscardingSink {
    this.rejectedSink ??= new DiscardingSink(this.digest);
    return this.rejectedSink;
  }

  async drain(): Promise<void> {}

  /** Output bytes and digests (when digesting) of each output. */
  finish(): { bytes: number; digests: Record<string, string | undefined> } {
    const sinks = { cleaned: this.cleaned, validSearches: this.validSearches, rejected: this.rejectedSink };
    const digests: Record<string, string | undefined> = {};
    let bytes = 0;
    for (const [name, sink] of Object.entries(sinks)) {
      digests[name] = sink?.finish();
      bytes += sink?.bytes ?? 0;
    }
    return { bytes, digests };
  }
}
