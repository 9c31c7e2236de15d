/**
 * Where the clean step writes its rows: S3 writers in the Lambda (CleanOutputs), anything with the
 * same shape elsewhere (the benchmark's discarding sinks).
 */

/** An output stream of UTF-8 text, written as strings or, in hot loops, as bytes in place. */
export interface ByteSink {
  write(text: string): void;
  /** A buffer with at least `bytes` free from `offset`: write there, then `commit(newOffset)`. */
  reserve(bytes: number): Buffer;
  readonly offset: number;
  commit(end: number): void;
}

export interface CleanSinks {
  readonly cleaned: ByteSink;
  readonly validSearches: ByteSink;
  /** Opened on the first rejection. */
  rejected(): ByteSink;
  /** Resolves when the sinks can take more (bounded memory: backpressure from the uploads). */
  drain(): Promise<void>;
}
