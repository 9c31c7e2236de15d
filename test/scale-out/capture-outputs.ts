import type { CleanOutputs } from '../../lambdas/cleaning/clean-outputs';

export interface CapturedOutputs {
  /** Stands in for the day's CleanOutputs: DayCleaner and DayCombiner only write rows to it. */
  readonly outputs: CleanOutputs;
  readonly text: { cleaned: string; valid: string; rejected: string };
  /** Whether the rejected-rows object would exist (opened on the first rejection). */
  rejectedOpened(): boolean;
}

/**
 * One output kept as text. Takes rows written as strings, or as UTF-8 bytes into a reserved buffer
 * then committed (the clean step's in-place writes), so it stands in whichever way rows are written.
 */
function textSink(append: (text: string) => void) {
  let buffer = Buffer.alloc(0);
  return {
    offset: 0,
    write: append,
    reserve(bytes: number): Buffer {
      if (buffer.length < bytes) buffer = Buffer.alloc(bytes);
      return buffer;
    },
    commit(end: number): void {
      append(buffer.toString('utf8', 0, end));
    },
  };
}

/** An in-memory stand-in for CleanOutputs, keeping what was written to each output. */
export function captureOutputs(): CapturedOutputs {
  const text = { cleaned: '', valid: '', rejected: '' };
  let opened = false;
  const rejected = textSink((t) => void (text.rejected += t));
  const fake = {
    cleaned: textSink((t) => void (text.cleaned += t)),
    validSearches: textSink((t) => void (text.valid += t)),
    rejected: () => {
      opened = true;
      return rejected;
    },
    drain: () => Promise.resolve(),
  };
  return { outputs: fake as unknown as CleanOutputs, text, rejectedOpened: () => opened };
}
