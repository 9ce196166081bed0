/** Timing helpers shared by the bench sections. */
import { performance } from 'node:perf_hooks';

export interface Timing {
  /** Median of the timed runs (warm-up excluded), ms. */
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function timing(runs: number[]): Timing {
  return {
    median: median(runs),
    min: Math.min(...runs),
    max: Math.max(...runs),
    runs,
  };
}

/** Milliseconds taken by `fn` (sync or async) and its result. */
export async function timed<T>(
  fn: () => T | Promise<T>,
): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** `warmup` untimed calls, then `runs` timed ones. */
export async function measure(
  fn: () => unknown,
  options: { warmup: number; runs: number },
): Promise<Timing> {
  for (let i = 0; i < options.warmup; i++) await fn();
  const runs: number[] = [];
  for (let i = 0; i < options.runs; i++) runs.push((await timed(fn)).ms);
  return timing(runs);
}
