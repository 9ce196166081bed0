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
  /** Pods matching a selector in a namespace the snapshot holds no workload of. */
  | { kind: 'podsInNamespace'; namespace: string; selector: string }
  /** Namespaces outside the snapshot that the selector may match. */
  | { kind: 'namespaceSelector'; selector: string }
  | { kind: 'cidr'; peer: Extract<Peer, { type: 'ipBlock' }> };

export function policyName(policy: CompiledPolicy): string {
  return `${policy.namespace}/${policy.name}`;
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Namespace names a selector pins through kubernetes.io/metadata.name
 * (matchLabels or a single `In` expression), known to the snapshot or not.
 */
function pinnedNamespaces(selector: unknown): string[] | undefined {
  const raw = selector as {
    matchLabels?: Record<string, unknown>;
    matchExpressions?: Array<Record<string, unknown>>;
  };
  const label = raw?.matchLabels?.[NAME_LABEL];
  if (typeof label === 'string') return [label];
  const expression = raw?.matchExpressions?.find(
    e => e?.key === NAME_LABEL && e?.operator === 'In',
  );
  const values = expression?.values;
  return Array.isArray(values)
    ? values.filter((v): v is string => typeof v === 'string')
    : undefined;
}

/** Resolves the peers of one rule into groups. */
export function peerGroups(
  index: ClusterIndex,
  policy: CompiledPolicy,
  rule: PolicyRule,
): PeerGroup[] {
  if (rule.allPeers) return [{ kind: 'any' }];
  const groups: PeerGroup[] = [];
  // Offline, without the Namespace list or with part of it, other namespaces may exist.
  const openWorld = index.openNamespaces;
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
    let namespaces: string[];
    if (!peer.namespaceSelector) {
      namespaces = [policy.namespace];
    } else {
      const selector = peer.namespaceSelector;
      const pinned = pinnedNamespaces(peer.rawNamespaceSelector);
      if (pinned) {
        namespaces = pinned.filter(name => {
          const known = index.namespaces.get(name);
          // A namespace missing from a complete live list does not exist;
          // from a partial one (the portal reads the entity's) it may.
          return known ? selector.matches(known.labels) : openWorld;
        });
      } else {
        namespaces = index.namespaceIndex.select(selector).map(ns => ns.name);
        if (openWorld && !selector.matchesAll) {
          groups.push({ kind: 'namespaceSelector', selector: selector.text });
        }
      }
    }
    for (const namespace of namespaces) {
      if (podsAll) {
        groups.push({ kind: 'namespace', namespace });
        continue;
      }
      const workloads = index.workloadsIn(namespace);
      if (workloads.items().length === 0) {
        groups.push({
          kind: 'podsInNamespace',
          namespace,
          selector: peer.podSelector!.text,
        });
        continue;
      }
      for (const workload of workloads.select(peer.podSelector!)) {
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
  /**
   * Participants in other clusters that reach the port through the
   * exposure, admitted by a declared source (rules/shared/reachability).
   */
  sites?: Reachability['sources'];
  /** Policies or peers that could not be evaluated (status error). */
  errors: string[];
}

interface Collector {
  add(
    key: string,
    source: ReachabilitySource,
    expected: boolean,
    via: string,
  ): void;
  list(): Reachability['sources'];
}

function collector(): Collector {
  const byKey = new Map<
    string,
    ReachabilitySource & { expected: boolean; via: string[] }
  >();
  return {
    add(key, source, expected, via) {
      const existing = byKey.get(key);
      if (existing) {
        if (via && !existing.via.includes(via)) existing.via.push(via);
        return;
      }
      const entry = { ...source, expected, via: via ? [via] : [] };
      // Offline sources have no cluster: leave the key out rather than undefined.
      if (entry.cluster === undefined) delete entry.cluster;
      if (entry.namespace === undefined) delete entry.namespace;
      byKey.set(key, entry);
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
    sources.add(
      'any',
      {
        type: 'any',
        label: 'any source (no NetworkPolicy isolates ingress)',
        cluster,
      },
      false,
      '',
    );
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
            sources.add(
              'any',
              { type: 'any', label: 'any source', cluster },
              false,
              via,
            );
            break;
          case 'allNamespaces':
            sources.add(
              'ns:*',
              {
                type: 'namespace',
                label: 'every pod in every namespace',
                cluster,
              },
              false,
              via,
            );
            break;
          case 'namespace':
            sources.add(
              `ns:${group.namespace}`,
              {
                type: 'namespace',
                label: `namespace/${group.namespace}`,
                namespace: group.namespace,
                cluster,
              },
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
                label: participant
                  ? `participants/${w.namespace}/${w.name}`
                  : `${w.kind.toLowerCase()}/${w.namespace}/${w.name}`,
                namespace: w.namespace,
                cluster,
              },
              participant || allowed.namespaces.has(w.namespace),
              via,
            );
            break;
          }
          case 'podsInNamespace':
            sources.add(
              `pods:${group.namespace}/${group.selector}`,
              {
                type: 'pod',
                label: `pods matching ${group.selector} in namespace/${group.namespace}`,
                namespace: group.namespace,
                cluster,
              },
              allowed.namespaces.has(group.namespace),
              via,
            );
            break;
          case 'namespaceSelector':
            sources.add(
              `nssel:${group.selector}`,
              {
                type: 'namespace',
                label: `namespaces matching ${group.selector} outside the snapshot`,
                cluster,
              },
              false,
              via,
            );
            break;
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
