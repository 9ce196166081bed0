/** Shared by the ING rules: the federation's Ingresses and routes, and missing-kind gaps. */
import type { ClusterIndex } from '../model/clusterIndex';
import { ExposedRoute, ROUTE_KINDS, exposureOf } from '../model/exposure';
import type { Federation } from '../model/federation';
import { finding, gapFinding, workloadRef } from './helpers';
import type { Finding } from './types';

/** Gaps on Ingress or route kinds in the federation's namespaces. */
export function exposureGaps(federation: Federation): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const member of federation.aggregators) {
    for (const kind of ['Ingress', 'Gateway', ...ROUTE_KINDS]) {
      const gap = member.index.gapFor(kind, member.workload.namespace);
      // Missing Gateway API CRDs (skip) only matter when routes exist.
      if (!gap || gap.status === 'skip') continue;
      const key = `${kind}/${gap.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(gapFinding(gap, workloadRef(member), `${kind} objects`));
    }
  }
  return findings;
}

/** One skip result per aggregator when nothing exposes the federation. */
export function notExposed(federation: Federation, what: string): Finding[] {
  return federation.aggregators.map(member =>
    finding(
      'skip',
      workloadRef(member),
      `No Ingress or Gateway route exposes the aggregator: ${what}.`,
    ),
  );
}

export function hasExposure(federation: Federation): boolean {
  const exposure = exposureOf(federation);
  return exposure.ingresses.length + exposure.routes.length > 0;
}

/** A route whose Gateway is not in the snapshot: offline it may be shared infrastructure. */
export function missingGatewayStatus(index: ClusterIndex): 'warn' | 'error' {
  return index.offline ? 'warn' : 'error';
}

export function routeLabel(route: ExposedRoute): string {
  return `${route.kind} ${route.namespace}/${route.name}`;
}
