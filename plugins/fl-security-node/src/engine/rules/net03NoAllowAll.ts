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
import {
  Subjects,
  defineRule,
  each,
  error,
  pass,
  policyRef,
  skip,
  verdict,
  worst,
} from '../ruleKit';
import type { Federation } from '../model/federation';
import { namespaces } from './shared/subjects';

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

interface SelectingPolicy {
  policy: CompiledPolicy;
  /** Names of the FL workloads the policy selects. */
  workloads: Set<string>;
}

/** NetworkPolicies selecting FL pods, with the workloads they select. */
const selectingPolicies: Subjects<SelectingPolicy> = {
  name: 'NetworkPolicies selecting FL pods',
  list(federation: Federation) {
    const selecting = new Map<CompiledPolicy, Set<string>>();
    for (const member of federation.members) {
      for (const policy of member.index.policiesSelecting(member.workload)
        .policies) {
        const names = selecting.get(policy) ?? new Set<string>();
        names.add(member.workload.name);
        selecting.set(policy, names);
      }
    }
    return [...selecting].map(([policy, workloads]) => ({ policy, workloads }));
  },
  resource: s => policyRef(s.policy),
};

export const net03NoAllowAll = defineRule({
  id: 'NET-03',
  checks: [
    each(selectingPolicies, ({ policy, workloads }) => {
      const problems = allowAllOf(policy);
      const selected = [...workloads].join(', ');
      const name = policyName(policy);
      if (problems.length === 0) {
        const errors = [...policy.ingress, ...policy.egress].flatMap(
          r => r.errors,
        );
        return errors.length
          ? error(
              `NetworkPolicy ${name} (selects ${selected}) has peers that cannot be evaluated: ${errors.join(
                '; ',
              )}.`,
            )
          : pass(
              `NetworkPolicy ${name} (selects ${selected}) has no allow-all peer.`,
            );
      }
      return verdict(
        problems.map(p => p.status).reduce(worst),
        `NetworkPolicy ${name} selects FL pods (${selected}) and ${problems
          .map(p => p.text)
          .join('; ')}.`,
      );
    }),
  ],
  otherwise: each(namespaces, ({ name }) =>
    skip(`No NetworkPolicy selects FL pods in namespace ${name} (see NET-02).`),
  ),
});
