/**
 * Istio: is a mesh in use, which PeerAuthentication mode applies to a
 * workload (workload > namespace > mesh-wide in the root namespace, port
 * level overrides, UNSET inherits) and which DestinationRules downgrade TLS.
 */
import type { KubeObject } from '../types';
import type { ClusterIndex } from './clusterIndex';
import type { Member } from './federation';
import { namespaceOf, num, record, records, str, stringMap } from './objects';
import { compileEqualitySelector } from './selectors';

export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/** Namespaces with sidecar injection (labels or pod annotations), computed once per snapshot. */
function injectedNamespaces(index: ClusterIndex): Set<string> {
  return index.memo('mesh:injected', () => {
    const out = new Set<string>();
    for (const [name, info] of index.namespaces) {
      const labels = info.labels;
      if (
        labels['istio-injection'] === 'enabled' ||
        labels['istio.io/rev'] ||
        labels['istio.io/dataplane-mode'] === 'ambient'
      ) {
        out.add(name);
      }
    }
    for (const w of index.workloads) {
      if (w.podAnnotations['sidecar.istio.io/inject'] === 'true')
        out.add(w.namespace);
    }
    return out;
  });
}

export function meshInUse(
  index: ClusterIndex,
  namespaces: readonly string[],
): boolean {
  if (
    index.ofKind('PeerAuthentication').length ||
    index.ofKind('DestinationRule').length
  )
    return true;
  const injected = injectedNamespaces(index);
  return namespaces.some(name => injected.has(name));
}

export interface MtlsMode {
  mode: string;
  /** The PeerAuthentication that decided, or undefined (Istio default PERMISSIVE). */
  source?: KubeObject;
}

function modeOf(policy: KubeObject, port: number): string | undefined {
  const spec = record(policy.spec);
  const portLevel = record(spec.portLevelMtls)[String(port)];
  const portMode = str(record(portLevel).mode);
  if (portMode && portMode !== 'UNSET') return portMode;
  const mode = str(record(spec.mtls).mode);
  return mode && mode !== 'UNSET' ? mode : undefined;
}

/** The effective mTLS mode for a workload's port. */
export function effectiveMtls(member: Member, port: number): MtlsMode {
  const { index, workload } = member;
  const policies = index.ofKind('PeerAuthentication');
  const selects = (p: KubeObject) => {
    const labels = stringMap(record(record(p.spec).selector).matchLabels);
    return (
      Object.keys(labels).length > 0 &&
      compileEqualitySelector(labels).matches(workload.podLabels)
    );
  };
  const hasSelector = (p: KubeObject) =>
    Object.keys(stringMap(record(record(p.spec).selector).matchLabels)).length >
    0;
  const levels = [
    policies.filter(p => namespaceOf(p) === workload.namespace && selects(p)),
    policies.filter(
      p => namespaceOf(p) === workload.namespace && !hasSelector(p),
    ),
    policies.filter(
      p => namespaceOf(p) === ISTIO_ROOT_NAMESPACE && !hasSelector(p),
    ),
  ];
  for (const level of levels) {
    for (const policy of level) {
      const mode = modeOf(policy, port);
      if (mode) return { mode, source: policy };
    }
  }
  return { mode: 'PERMISSIVE' };
}

/** DestinationRules whose host matches one of the names and whose TLS mode is not mutual. */
export function downgradingDestinationRules(
  index: ClusterIndex,
  hosts: readonly string[],
  port: number,
): KubeObject[] {
  const matchesHost = (pattern: string) =>
    hosts.some(
      h =>
        pattern === '*' ||
        pattern === h ||
        (pattern.startsWith('*.') && h.endsWith(pattern.slice(1))),
    );
  return index.ofKind('DestinationRule').filter(rule => {
    const spec = record(rule.spec);
    if (!matchesHost(str(spec.host) ?? '')) return false;
    const policy = record(spec.trafficPolicy);
    const modes = [str(record(policy.tls).mode)];
    for (const setting of records(policy.portLevelSettings)) {
      const p = num(record(setting.port).number);
      if (p === undefined || p === port)
        modes.push(str(record(setting.tls).mode));
    }
    return modes.some(m => m === 'DISABLE' || m === 'SIMPLE');
  });
}
