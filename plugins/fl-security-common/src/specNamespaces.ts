/** Namespaces a parsed spec derives when it does not name them. */
import type { ParsedSpec } from './specSchema';

export function aggregatorNamespace(spec: ParsedSpec) {
  return spec.aggregator.namespace ?? `${spec.name}-aggregator`;
}

export function participantNamespace(spec: ParsedSpec, index: number) {
  const participant = spec.participants[index];
  return participant.namespace ?? `${spec.name}-${participant.name}`;
}
