/**
 * NET-01: a default-deny NetworkPolicy for ingress and egress in every
 * namespace of the federation. Default-deny = `podSelector: {}`, the
 * direction in (effective) policyTypes and no rule admitting anything (for
 * egress, rules limited to DNS port 53 are tolerated).
 */
import { CompiledPolicy, onlyDnsPorts } from '../model/networkPolicy';
import { defineRule, each, fail, pass, warn } from '../ruleKit';
import { NETWORK_POLICIES } from './shared/needs';
import { namespaces } from './shared/subjects';

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

export const net01DefaultDeny = defineRule({
  id: 'NET-01',
  checks: [
    each(
      namespaces,
      ({ index, name }) => {
        const policies = index.policiesIn(name);
        const ingress = policies.find(deniesAllIngress);
        const egress = policies.find(deniesAllEgress);
        if (ingress && egress) {
          const names = [...new Set([ingress.name, egress.name])].join(', ');
          return pass(
            `Namespace ${name} denies ingress and egress by default (${names}).`,
          );
        }
        if (ingress || egress) {
          const [only, missing] = ingress
            ? ['ingress', 'egress']
            : ['egress', 'ingress'];
          return warn(
            `Namespace ${name} has a default-deny for ${only} only (${
              (ingress ?? egress)!.name
            }); nothing denies ${missing} by default.`,
          );
        }
        return fail(
          `Namespace ${name} has no default-deny NetworkPolicy (podSelector: {} with no rules) for ingress or egress.`,
        );
      },
      [NETWORK_POLICIES],
    ),
  ],
});
