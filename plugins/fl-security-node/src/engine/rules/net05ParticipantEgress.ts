/**
 * NET-05: participants may only open connections to the aggregator (or the
 * gateway namespaces declared on it) and to DNS. Each egress rule of each
 * policy selecting a participant is resolved once (cached per policy).
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { isAllAddresses } from '../model/cidr';
import type { ClusterIndex } from '../model/clusterIndex';
import { Federation, allowedSourcesOf } from '../model/federation';
import { CompiledPolicy, onlyDnsPorts } from '../model/networkPolicy';
import { peerGroups, policyName } from '../model/reachability';
import type { Workload } from '../model/workloads';
import { describe, finding, gapFinding, worst, workloadRef } from './helpers';
import type { Finding, Rule } from './types';

interface Destination {
  status: CheckStatus;
  text: string;
}

function classify(
  index: ClusterIndex,
  policy: CompiledPolicy,
  aggregators: ReadonlySet<Workload>,
  gatewayNamespaces: ReadonlySet<string>,
): Destination[] {
  const out: Destination[] = [];
  const via = policyName(policy);
  for (const rule of policy.egress) {
    if (onlyDnsPorts(rule.ports)) continue;
    for (const error of rule.errors) out.push({ status: 'error', text: `${via}: ${error}` });
    for (const group of peerGroups(index, policy, rule)) {
      switch (group.kind) {
        case 'any':
          out.push({ status: 'fail', text: `any destination (${via})` });
          break;
        case 'allNamespaces':
          out.push({ status: 'fail', text: `every pod in every namespace (${via})` });
          break;
        case 'namespace':
          if (gatewayNamespaces.has(group.namespace)) break;
          out.push({ status: 'fail', text: `every pod of namespace ${group.namespace} (${via})` });
          break;
        case 'workload': {
          const w = group.workload;
          if (aggregators.has(w) || gatewayNamespaces.has(w.namespace)) break;
          out.push({ status: 'fail', text: `${w.kind} ${w.namespace}/${w.name} (${via})` });
          break;
        }
        case 'cidr':
          out.push(
            isAllAddresses(group.peer.cidr)
              ? { status: 'fail', text: `every address ${group.peer.cidr.text} (${via})` }
              : { status: 'warn', text: `${group.peer.text}, which cannot be verified to be only the aggregator (${via})` },
          );
          break;
        default:
          break;
      }
    }
  }
  return out;
}

const cache = new WeakMap<Federation, Map<CompiledPolicy, Destination[]>>();

export const net05ParticipantEgress: Rule = {
  id: 'NET-05',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    const aggregators = new Set(federation.aggregators.map(a => a.workload));
    const gatewayNamespaces = new Set<string>();
    for (const aggregator of federation.aggregators) {
      allowedSourcesOf(aggregator).namespaces.forEach(ns => gatewayNamespaces.add(ns));
    }
    const perPolicy = cache.get(federation) ?? new Map<CompiledPolicy, Destination[]>();
    cache.set(federation, perPolicy);
    for (const participant of federation.participants) {
      const resource = workloadRef(participant);
      const { index, workload } = participant;
      const gap = index.gapFor('NetworkPolicy', workload.namespace);
      if (gap) {
        findings.push(gapFinding(gap, resource, `NetworkPolicies of namespace ${workload.namespace}`));
        continue;
      }
      const { policies, unknown } = index.policiesSelecting(workload);
      const egress = policies.filter(p => p.affectsEgress);
      if (egress.length === 0) {
        findings.push(
          finding(
            unknown.length ? 'error' : 'fail',
            resource,
            `No NetworkPolicy restricts the egress of ${describe(participant)}: it can connect anywhere.`,
          ),
        );
        continue;
      }
      const destinations = egress.flatMap(policy => {
        let classified = perPolicy.get(policy);
        if (!classified) {
          classified = classify(index, policy, aggregators, gatewayNamespaces);
          perPolicy.set(policy, classified);
        }
        return classified;
      });
      if (destinations.length === 0) {
        findings.push(
          finding('pass', resource, `Egress of ${describe(participant)} is limited to the aggregator and DNS (${egress.map(policyName).join(', ')}).`),
        );
        continue;
      }
      const status = destinations.map(d => d.status).reduce(worst);
      findings.push(
        finding(status, resource, `${describe(participant)} may also connect to: ${[...new Set(destinations.map(d => d.text))].join('; ')}.`),
      );
    }
    return findings;
  },
};
