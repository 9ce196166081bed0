/**
 * NET-03: no allow-all peers in the policies selecting FL pods: a rule with
 * empty or absent `from`/`to`, a peer `namespaceSelector: {}` without a
 * narrowing podSelector, or an ipBlock of 0.0.0.0/0 or ::/0. Egress rules
 * limited to DNS (port 53) may target every in-cluster pod; DNS to any
 * address only warns.
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { isAllAddresses } from '../model/cidr';
import {
  CompiledPolicy,
  PolicyRule,
  onlyDnsPorts,
} from '../model/networkPolicy';
import { policyName } from '../model/reachability';
import { finding, namespaceRef, policyRef, worst } from './helpers';
import type { Finding, Rule } from './types';

interface AllowAll {
  status: CheckStatus;
  text: string;
}

/** The allow-all peers of one rule, with how bad each is. */
export function allowAllPeers(
  rule: PolicyRule,
  direction: 'ingress' | 'egress',
  position: number,
): AllowAll[] {
  const dns = direction === 'egress' && onlyDnsPorts(rule.ports);
  const where = `${direction} rule ${position + 1}`;
  const out: AllowAll[] = [];
  if (rule.allPeers) {
    out.push({
      status: dns ? 'warn' : 'fail',
      text: dns
        ? `${where} allows DNS to any destination (not only kube-dns)`
        : `${where} has no ${
            direction === 'ingress' ? 'from' : 'to'
          } peers: it allows every ${
            direction === 'ingress' ? 'source' : 'destination'
          }`,
    });
    return out;
  }
  for (const peer of rule.peers) {
    if (peer.type === 'ipBlock') {
      if (isAllAddresses(peer.cidr)) {
        out.push({
          status: dns ? 'warn' : 'fail',
          text: `${where} allows ipBlock ${peer.cidr.text}${
            dns ? ' on DNS port 53' : ''
          } (every address)`,
        });
      }
    } else if (
      peer.namespaceSelector?.matchesAll &&
      (!peer.podSelector || peer.podSelector.matchesAll)
    ) {
      if (!dns)
        out.push({
          status: 'fail',
          text: `${where} allows namespaceSelector: {} (every pod in every namespace)`,
        });
    }
  }
  return out;
}

export function allowAllOf(policy: CompiledPolicy): AllowAll[] {
  return [
    ...(policy.affectsIngress
      ? policy.ingress.flatMap((r, i) => allowAllPeers(r, 'ingress', i))
      : []),
    ...(policy.affectsEgress
      ? policy.egress.flatMap((r, i) => allowAllPeers(r, 'egress', i))
      : []),
  ];
}

export const net03NoAllowAll: Rule = {
  id: 'NET-03',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    const selecting = new Map<CompiledPolicy, Set<string>>();
    for (const member of federation.members) {
      for (const policy of member.index.policiesSelecting(member.workload)
        .policies) {
        const names = selecting.get(policy) ?? new Set<string>();
        names.add(member.workload.name);
        selecting.set(policy, names);
      }
    }
    for (const [policy, workloads] of selecting) {
      const problems = allowAllOf(policy);
      const resource = policyRef(policy);
      const errors = [...policy.ingress, ...policy.egress].flatMap(
        r => r.errors,
      );
      const selected = [...workloads].join(', ');
      if (problems.length === 0) {
        findings.push(
          errors.length
            ? finding(
                'error',
                resource,
                `NetworkPolicy ${policyName(
                  policy,
                )} (selects ${selected}) has peers that cannot be evaluated: ${errors.join(
                  '; ',
                )}.`,
              )
            : finding(
                'pass',
                resource,
                `NetworkPolicy ${policyName(
                  policy,
                )} (selects ${selected}) has no allow-all peer.`,
              ),
        );
        continue;
      }
      const status = problems.map(p => p.status).reduce(worst);
      findings.push(
        finding(
          status,
          resource,
          `NetworkPolicy ${policyName(
            policy,
          )} selects FL pods (${selected}) and ${problems
            .map(p => p.text)
            .join('; ')}.`,
        ),
      );
    }
    if (selecting.size === 0) {
      for (const { index, name } of federation.namespaces) {
        findings.push(
          finding(
            'skip',
            namespaceRef(index, name),
            `No NetworkPolicy selects FL pods in namespace ${name} (see NET-02).`,
          ),
        );
      }
    }
    return findings;
  },
};
