/**
 * `fn` over `items`, yielded in order, with up to `ahead` calls in flight: the next items download
 * while the current one is consumed, and memory holds at most `ahead` results.
 */
export async function* prefetchInOrder<T, R>(
  items: readonly T[],
  ahead: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  let next = 0;
  const fill = (): void => {
    while (next < items.length && inFlight.length < ahead) {
      const started = fn(items[next++] as T);
      started.catch(() => undefined); // awaited below, in order; this only avoids an unhandled rejection
      inFlight.push(started);
    }
  };
  fill();
  while (inFlight.length > 0) {
    const result = await (inFlight.shift() as Promise<R>);
    fill();
    yield result;
  }
}
