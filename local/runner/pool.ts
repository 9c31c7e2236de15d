/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep the items' order.
 * Once `signal` is aborted no new call starts: the results hold the items that ran.
 * `fn` is expected not to throw (a throw rejects the whole map after the in-flight calls settle).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const ran = new Array<boolean>(items.length).fill(false);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      ran[index] = true;
      results[index] = await fn(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return results.filter((_, index) => ran[index]);
}

/**
 * Runs `fn` over the items of an async iterable with at most `limit` calls in flight, taking the
 * next item only when a call ends: at most `limit` items are held, however many the source has.
 * Once `signal` is aborted no new call starts (the source is closed). Returns how many calls
 * started. `fn` is expected not to throw; a throw from `fn` or the source rejects after the
 * in-flight calls settle.
 */
export async function forEachWithConcurrency<T>(
  items: AsyncIterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  let taken = 0;
  async function* numbered(): AsyncGenerator<[T, number]> {
    for await (const item of items) yield [item, taken++];
  }
  const iterator = numbered(); // an async generator answers concurrent next() calls in turn
  let done = false;
  let started = 0;
  const worker = async (): Promise<void> => {
    while (!done && !signal?.aborted) {
      const next = await iterator.next();
      if (next.done || signal?.aborted) {
        done = true;
        return;
      }
      started++;
      await fn(...next.value);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, 10_000)) }, worker);
  const settled = await Promise.allSettled(workers);
  done = true;
  await iterator.return(undefined);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return started;
}
