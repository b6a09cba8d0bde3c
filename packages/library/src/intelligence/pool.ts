/**
 * Maps an async source through `fn` with at most `concurrency` calls in flight, yielding results
 * in source order. The source is pulled only while a slot is free, so at most `concurrency`
 * items (and their results) are held at any time: a slow head delays later results rather than
 * letting them pile up. If the consumer stops early, the source is closed; calls still in flight
 * settle unobserved (their rejections are swallowed), so callers should cancel them via a signal.
 */
export async function* mapOrdered<T, R>(source: AsyncIterable<T>, concurrency: number, fn: (item: T) => Promise<R>): AsyncGenerator<R, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  const queue: Promise<R>[] = [];
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && queue.length < concurrency) {
        const next = await it.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        const pending = fn(next.value);
        pending.catch(() => {
          // Observed when it reaches the head; this only prevents an unhandled rejection if we never get there.
        });
        queue.push(pending);
      }
      const head = queue.shift();
      if (head === undefined) return;
      yield await head;
    }
  } finally {
    if (!exhausted) await it.return?.();
  }
}
