/** Shared by the ING rules: what they read, and what they say when nothing is exposed. */
import { ExposedRoute, ROUTE_KINDS } from '../../model/exposure';
import type { ClusterIndex } from '../../model/clusterIndex';
import { each, skip } from '../../ruleKit';
import { aggregators } from './subjects';

/** The kinds that expose a federation, read across its aggregator namespaces. */
export const EXPOSURE_KINDS: readonly string[] = [
  'Ingress',
  'Gateway',
  ...ROUTE_KINDS,
];

/** One skip per aggregator when no Ingress or route exposes the federation. */
export function notExposed(what: string) {
  return each(aggregators, () =>
    skip(`No Ingress or Gateway route exposes the aggregator: ${what}.`),
  );
}

/** A route whose Gateway is not in the snapshot: offline it may be shared infrastructure. */
export function missingGatewayStatus(index: ClusterIndex): 'warn' | 'error' {
  return index.offline ? 'warn' : 'error';
}

export function routeLabel(route: ExposedRoute): string {
  return `${route.kind} ${route.namespace}/${route.name}`;
}
