/**
 * NET-02: every FL pod is selected by a NetworkPolicy for ingress (fail
 * otherwise) and egress (warn otherwise), with Kubernetes' selection and
 * policyTypes semantics (computed by the cluster index).
 */
import { policyName } from '../model/reachability';
import { defineRule, each, pass, verdict } from '../ruleKit';
import { describe } from './shared/describe';
import { NETWORK_POLICIES } from './shared/needs';
import { members } from './shared/subjects';

export const net02PodIsolation = defineRule({
  id: 'NET-02',
  checks: [
    each(
      members,
      member => {
        const { policies, unknown } = member.index.policiesSelecting(
          member.workload,
        );
        const ingress = policies.filter(p => p.affectsIngress).map(policyName);
        const egress = policies.filter(p => p.affectsEgress).map(policyName);
        const unknownNote = unknown.length
          ? ` NetworkPolicies with invalid podSelectors may also apply: ${unknown
              .map(p => `${policyName(p)} (${p.error})`)
              .join('; ')}.`
          : '';
        const pods = describe(member);
        if (ingress.length === 0) {
          return verdict(
            unknown.length ? 'error' : 'fail',
            `No NetworkPolicy selects the pods of ${pods} for ingress: any pod or address can connect to them.${unknownNote}`,
          );
        }
        const isolated = `Pods of ${pods} are isolated for ingress (${ingress.join(
          ', ',
        )})`;
        if (egress.length === 0) {
          return verdict(
            unknown.length ? 'error' : 'warn',
            `${isolated} but no NetworkPolicy restricts their egress.${unknownNote}`,
          );
        }
        return pass(`${isolated} and egress (${egress.join(', ')}).`);
      },
      [NETWORK_POLICIES],
    ),
  ],
});
