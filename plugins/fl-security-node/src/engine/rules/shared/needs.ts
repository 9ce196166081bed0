/**
 * Snapshot data checks need. A reader gap on the kind where the subject
 * lives stands for the subject's verdict: skip (CRD not installed) or error
 * (403, timeout), naming the missing permission. Never a pass on data that
 * was not read.
 */
import { DataNeed, gapVerdict } from '../../ruleKit';

/** Objects of a kind in the subject's namespace (`what` names them for the namespace). */
export function inNamespace<S>(
  kind: string,
  what: (namespace: string) => string,
): DataNeed<S> {
  return {
    kind,
    missing(_subject, { index, namespace }) {
      const gap =
        namespace === undefined ? undefined : index.gapFor(kind, namespace);
      return gap ? gapVerdict(gap, what(namespace!)) : undefined;
    },
  };
}

/** The NetworkPolicies of the subject's namespace. */
export const NETWORK_POLICIES = inNamespace<unknown>(
  'NetworkPolicy',
  namespace => `NetworkPolicies of namespace ${namespace}`,
);
