/** Runs a task when a slot is free. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `concurrency` tasks at once; the rest wait in order. */
export function createLimiter(concurrency: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function limit<T>(task: () => Promise<T>): Promise<T> {
    if (active < concurrency) {
      active += 1;
    } else {
      // The finishing task hands its slot over directly.
      await new Promise<void>(resolve => waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const handOver = waiting.shift();
      if (handOver) handOver();
      else active -= 1;
    }
  };
}

/** Maps with bounded concurrency, keeping the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limit = createLimiter(concurrency);
  return Promise.all(items.map(item => limit(() => fn(item))));
}

/**
 * Runs `fn` for every item, `concurrency` at a time: that many workers each
 * take the next item when they finish one. Not one pending task per item up
 * front: with thousands of items (a scan's namespace × kind lists), the
 * waiting tasks are promoted to the old generation, and once finished they
 * still point at the last response they handled, which keeps each one alive
 * through every young collection until the next full one (about 150 MB of
 * garbage per 1,000-participant scan). The first error stops the workers
 * from taking more items and rejects.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
