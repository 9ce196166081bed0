/**
 * Symbolic NetworkPolicy evaluation. Instead of testing pods x pods x
 * policies, each peer of each policy selecting the target is resolved once
 * against indexed groups: workloads (by namespace and label), whole
 * namespaces, every namespace, CIDRs and "any". Cost grows with the number
 * of peers and of pods they actually select.
 */
import type { ReachabilitySource } from '@fl-security/plugin-fl-security-common';
import { cidrContains, isAllAddresses } from './cidr';
import type { ClusterIndex } from './clusterIndex';
import type { AllowedSources, Member } from './federation';
import { CompiledPolicy, Peer, PolicyRule, portsAdmit } from './networkPolicy';
import type { Workload } from './workloads';

/** What one peer (or a peer-less rule) admits. */
export type PeerGroup =
  | { kind: 'any' }
  | { kind: 'allNamespaces' }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'workload'; workload: Workload }
  | { kind: 'cidr'; peer: Extract<Peer, { type: 'ipBlock' }> };

export function policyName(policy: CompiledPolicy): string {
  return `${policy.namespace}/${policy.name}`;
}

/** Resolves the peers of one rule into groups. */
export function peerGroups(index: ClusterIndex, policy: CompiledPolicy, rule: PolicyRule): PeerGroup[] {
  if (rule.allPeers) return [{ kind: 'any' }];
  const groups: PeerGroup[] = [];
  for (const peer of rule.peers) {
    if (peer.type === 'ipBlock') {
      groups.push({ kind: 'cidr', peer });
      continue;
    }
    const podsAll = !peer.podSelector || peer.podSelector.matchesAll;
    if (peer.namespaceSelector?.matchesAll && podsAll) {
      groups.push({ kind: 'allNamespaces' });
      continue;
    }
    const namespaces = peer.namespaceSelector
      ? index.namespaceIndex.select(peer.namespaceSelector).map(ns => ns.name)
      : [policy.namespace];
    for (const namespace of namespaces) {
      if (podsAll) {
        groups.push({ kind: 'namespace', namespace });
        continue;
      }
      for (const workload of index.workloadsIn(namespace).select(peer.podSelector!)) {
        groups.push({ kind: 'workload', workload });
      }
    }
  }
  return groups;
}

export interface Reachability {
  target: Member;
  port: number;
  /** Some valid policy selects the target for this direction. */
  isolated: boolean;
  sources: Array<ReachabilitySource & { expected: boolean; via: string[] }>;
  /** Policies or peers that could not be evaluated (status error). */
  errors: string[];
}

interface Collector {
  add(key: string, source: ReachabilitySource, expected: boolean, via: string): void;
  list(): Reachability['sources'];
}

function collector(): Collector {
  const byKey = new Map<string, ReachabilitySource & { expected: boolean; via: string[] }>();
  return {
    add(key, source, expected, via) {
      const existing = byKey.get(key);
      if (existing) {
        if (via && !existing.via.includes(via)) existing.via.push(via);
        return;
      }
      byKey.set(key, { ...source, expected, via: via ? [via] : [] });
    },
    list: () => [...byKey.values()],
  };
}

/**
 * Who may open `port` on the target: classify every source group against the
 * participants and the declared sources.
 */
export function ingressReachability(
  target: Member,
  port: number,
  participants: ReadonlySet<Workload>,
  allowed: AllowedSources,
): Reachability {
  const { index, workload } = target;
  const cluster = index.cluster;
  const selection = index.policiesSelecting(workload);
  const errors = selection.unknown.map(
    p => `NetworkPolicy ${policyName(p)} cannot be evaluated: ${p.error}`,
  );
  const policies = selection.policies.filter(p => p.affectsIngress);
  const sources = collector();
  if (policies.length === 0) {
    sources.add('any', { type: 'any', label: 'any source (no NetworkPolicy isolates ingress)', cluster }, false, '');
    return { target, port, isolated: false, sources: sources.list(), errors };
  }
  for (const policy of policies) {
    const via = policyName(policy);
    for (const rule of policy.ingress) {
      if (!portsAdmit(rule.ports, port, 'TCP', workload)) continue;
      errors.push(...rule.errors.map(e => `NetworkPolicy ${via}: ${e}`));
      for (const group of peerGroups(index, policy, rule)) {
        switch (group.kind) {
          case 'any':
            sources.add('any', { type: 'any', label: 'any source', cluster }, false, via);
            break;
          case 'allNamespaces':
            sources.add('ns:*', { type: 'namespace', label: 'every pod in every namespace', cluster }, false, via);
            break;
          case 'namespace':
            sources.add(
              `ns:${group.namespace}`,
              { type: 'namespace', label: `namespace/${group.namespace}`, namespace: group.namespace, cluster },
              allowed.namespaces.has(group.namespace),
              via,
            );
            break;
          case 'workload': {
            const w = group.workload;
            if (w === workload) break;
            const participant = participants.has(w);
            sources.add(
              `w:${w.namespace}/${w.kind}/${w.name}`,
              {
                type: participant ? 'participant' : 'pod',
                label: participant ? `participants/${w.name}` : `${w.kind.toLowerCase()}/${w.namespace}/${w.name}`,
                namespace: w.namespace,
                cluster,
              },
              participant || allowed.namespaces.has(w.namespace),
              via,
            );
            break;
          }
          case 'cidr': {
            const { cidr, except } = group.peer;
            const label = except.length
              ? `${cidr.text} except ${except.map(e => e.text).join(', ')}`
              : cidr.text;
            sources.add(
              `cidr:${label}`,
              { type: isAllAddresses(cidr) ? 'any' : 'cidr', label, cluster },
              allowed.cidrs.some(a => cidrContains(a, cidr)),
              via,
            );
            break;
          }
          default:
            break;
        }
      }
    }
  }
  return { target, port, isolated: true, sources: sources.list(), errors };
}
