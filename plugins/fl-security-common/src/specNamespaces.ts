/** Namespaces (and clusters) a parsed spec derives when it does not name them. */
import type { ParsedSpec } from './specSchema';

export function aggregatorNamespace(spec: ParsedSpec) {
  return spec.aggregator.namespace ?? `${spec.name}-aggregator`;
}

export function participantNamespace(spec: ParsedSpec, index: number) {
  const participant = spec.participants[index];
  return participant.namespace ?? `${spec.name}-${participant.name}`;
}

/** The participant's cluster: its own, else the aggregator's (maybe unnamed). */
export function participantCluster(spec: ParsedSpec, index: number) {
  return spec.participants[index].cluster ?? spec.aggregator.cluster;
}

/** Whether a participant runs in another cluster than the aggregator. */
export function isRemote(spec: ParsedSpec, index: number) {
  // Without a named aggregator cluster there is only one cluster.
  if (spec.aggregator.cluster === undefined) return false;
  return participantCluster(spec, index) !== spec.aggregator.cluster;
}
