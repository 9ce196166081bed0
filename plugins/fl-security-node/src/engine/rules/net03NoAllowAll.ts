/**
 * NET-03: no allow-all peers in the policies selecting FL pods: a rule with
 * empty or absent `from`/`to`, a peer `namespaceSelector: {}` without a
 * narrowing podSelector, or ipBlocks that together admit every address of
 * a family, or every public one (0.0.0.0/0 except private ranges), on some
 * port. ipBlocks add up across the peers and rules of a policy and across
 * the policies selecting one workload, port by port; half a family or more
 * warns. Egress rules limited to DNS (port 53) may target every in-cluster
 * pod; DNS to any address only warns.
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import {
  CompiledPolicy,
  PolicyRule,
  onlyDnsPorts,
} from '../model/networkPolicy';
import {
  ipBlockTexts,
  LocatedRule,
  OpenAddresses,
  openAddresses,
} from '../model/openAddresses';
import { policyName } from '../model/reachability';
import type { Workload } from '../model/workloads';
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
import type { Federation, Member } from '../model/federation';
import { describe } from './shared/describe';
import { members, namespaces } from './shared/subjects';

interface AllowAll {
  status: CheckStatus;
  text: string;
}

/** The allow-all selector peers and peer-less rules of one rule, with how bad each is. */
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
    if (
      peer.type === 'selector' &&
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

function rulesOf(
  policy: CompiledPolicy,
  direction: 'ingress' | 'egress',
): LocatedRule[] {
  return policy[direction].map((rule, position) => ({
    policy,
    position,
    rule,
  }));
}

const isDnsEgress = (direction: 'ingress' | 'egress') => (rule: PolicyRule) =>
  direction === 'egress' && onlyDnsPorts(rule.ports);

/** The ipBlocks of one direction judged together, port by port. */
function wideAddresses(
  rules: LocatedRule[],
  direction: 'ingress' | 'egress',
  workload?: Workload,
): OpenAddresses[] {
  return openAddresses(rules, workload, isDnsEgress(direction));
}

function addressProblem(
  open: OpenAddresses,
  direction: 'ingress' | 'egress',
): AllowAll {
  const positions = open.rules.map(r => r.position + 1);
  const where =
    positions.length === 1
      ? `${direction} rule ${positions[0]} allows`
      : `${direction} rules ${positions.join(', ')} allow`;
  return {
    status: open.dnsOnly ? 'warn' : open.breadth.status,
    text: `${where} ipBlock ${ipBlockTexts(open.rules).join(', ')}: ${
      open.breadth.text
    }${open.dnsOnly ? ' on DNS port 53' : ''}`,
  };
}

export function allowAllOf(policy: CompiledPolicy): AllowAll[] {
  const out: AllowAll[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const governed =
      direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
    if (!governed) continue;
    out.push(
      ...policy[direction].flatMap((r, i) => allowAllPeers(r, direction, i)),
      ...wideAddresses(rulesOf(policy, direction), direction).map(o =>
        addressProblem(o, direction),
      ),
    );
  }
  return out;
}

const RANK: Record<string, number> = { warn: 1, fail: 2 };

/**
 * Address ranges that several policies selecting one workload open
 * together, wider than any of them alone (each policy's own verdict names
 * what it opens by itself).
 */
function jointProblems(member: Member): AllowAll[] {
  const policies = member.index.policiesSelecting(member.workload).policies;
  const out: AllowAll[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const governing = policies.filter(p =>
      direction === 'ingress' ? p.affectsIngress : p.affectsEgress,
    );
    const rules = governing.flatMap(p => rulesOf(p, direction));
    for (const open of wideAddresses(rules, direction, member.workload)) {
      const names = [...new Set(open.rules.map(r => policyName(r.policy)))];
      if (names.length < 2) continue;
      const status = open.dnsOnly ? 'warn' : open.breadth.status;
      // The same breadth from one policy alone is reported on that policy.
      const alone = governing.some(policy => {
        const own = open.rules.filter(r => r.policy === policy);
        return wideAddresses(own, direction, member.workload).some(
          o =>
            (open.dnsOnly ? 1 : RANK[o.breadth.status]) >= RANK[status] &&
            o.set.covers(open.set),
        );
      });
      if (alone) continue;
      out.push({
        status,
        text: `NetworkPolicies ${names.sort().join(', ')} together allow ${
          open.breadth.text
        } to ${direction} port ${open.ports.join(', ')} (ipBlock ${ipBlockTexts(
          open.rules,
        ).join(', ')})`,
      });
    }
  }
  return out;
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

/** FL workloads that several NetworkPolicies select (their ranges add up). */
const jointlySelected: Subjects<Member> = {
  ...members,
  name: 'FL workloads selected by several NetworkPolicies',
  list: federation =>
    members
      .list(federation)
      .filter(
        m => m.index.policiesSelecting(m.workload).policies.length > 1,
      ),
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
    each(jointlySelected, member => {
      const problems = jointProblems(member);
      if (problems.length === 0) return [];
      return verdict(
        problems.map(p => p.status).reduce(worst),
        `${describe(member)}: ${problems.map(p => p.text).join('; ')}.`,
      );
    }),
  ],
  otherwise: each(namespaces, ({ name }) =>
    skip(`No NetworkPolicy selects FL pods in namespace ${name} (see NET-02).`),
  ),
});
