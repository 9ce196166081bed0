/**
 * NET-01: a default-deny NetworkPolicy for ingress and egress in every
 * namespace of the federation. Default-deny = `podSelector: {}`, the
 * direction in (effective) policyTypes and no rule admitting anything (for
 * egress, rules limited to DNS port 53 are tolerated).
 */
import { CompiledPolicy, onlyDnsPorts } from '../model/networkPolicy';
import { finding, namespaceRef, networkPolicyGapFinding } from './helpers';
import type { Finding, Rule } from './types';

export function deniesAllIngress(policy: CompiledPolicy): boolean {
  return (
    Boolean(policy.podSelector?.matchesAll) &&
    policy.affectsIngress &&
    policy.ingress.length === 0
  );
}

export function deniesAllEgress(policy: CompiledPolicy): boolean {
  return (
    Boolean(policy.podSelector?.matchesAll) &&
    policy.affectsEgress &&
    policy.egress.every(rule => onlyDnsPorts(rule.ports))
  );
}

export const net01DefaultDeny: Rule = {
  id: 'NET-01',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    for (const { index, name } of federation.namespaces) {
      const resource = namespaceRef(index, name);
      const unreadable = networkPolicyGapFinding(index, name, resource);
      if (unreadable) {
        findings.push(unreadable);
        continue;
      }
      const policies = index.policiesIn(name);
      const ingress = policies.find(deniesAllIngress);
      const egress = policies.find(deniesAllEgress);
      if (ingress && egress) {
        const names = [...new Set([ingress.name, egress.name])].join(', ');
        findings.push(
          finding(
            'pass',
            resource,
            `Namespace ${name} denies ingress and egress by default (${names}).`,
          ),
        );
      } else if (ingress || egress) {
        const missing = ingress ? 'egress' : 'ingress';
        findings.push(
          finding(
            'warn',
            resource,
            `Namespace ${name} has a default-deny for ${
              missing === 'egress' ? 'ingress' : 'egress'
            } only (${
              (ingress ?? egress)!.name
            }); nothing denies ${missing} by default.`,
          ),
        );
      } else {
        findings.push(
          finding(
            'fail',
            resource,
            `Namespace ${name} has no default-deny NetworkPolicy (podSelector: {} with no rules) for ingress or egress.`,
          ),
        );
      }
    }
    return findings;
  },
};
