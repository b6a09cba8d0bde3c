/**
 * Maps an async iterable with up to `concurrency` calls of `fn` in flight, yielding results in
 * source order. Reading stops as soon as the consumer stops or `fn` fails.
 */
export async function* mapOrdered<T, R>(source: AsyncIterable<T>, concurrency: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  try {
    for await (const item of source) {
      const pending = fn(item);
      // Observed at once so a failure waiting in the window is not an unhandled rejection.
      pending.catch(() => undefined);
      window.push(pending);
      if (window.length >= concurrency) yield await (window.shift() as Promise<R>);
    }
    while (window.length > 0) yield await (window.shift() as Promise<R>);
  } finally {
    window.length = 0;
  }
}
