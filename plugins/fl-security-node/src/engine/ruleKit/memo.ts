/**
 * A value derived once per federation and evaluation (rules look at many
 * subjects of one federation; the engine stays pure: nothing outlives the
 * federation object).
 */
import type { Federation } from '../model/federation';

export function perFederation<T>(
  compute: (federation: Federation) => T,
): (federation: Federation) => T {
  const cache = new WeakMap<Federation, T>();
  return federation => {
    if (!cache.has(federation)) cache.set(federation, compute(federation));
    return cache.get(federation)!;
  };
}
