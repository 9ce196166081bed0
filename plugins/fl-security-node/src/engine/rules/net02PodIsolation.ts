/**
 * NET-02: every FL pod is selected by a NetworkPolicy for ingress (fail
 * otherwise) and egress (warn otherwise), with Kubernetes' selection and
 * policyTypes semantics (computed by the cluster index).
 */
import { policyName } from '../model/reachability';
import {
  describe,
  finding,
  networkPolicyGapFinding,
  workloadRef,
} from './helpers';
import type { Finding, Rule } from './types';

export const net02PodIsolation: Rule = {
  id: 'NET-02',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    for (const member of federation.members) {
      const resource = workloadRef(member);
      const { index, workload } = member;
      const unreadable = networkPolicyGapFinding(
        index,
        workload.namespace,
        resource,
      );
      if (unreadable) {
        findings.push(unreadable);
        continue;
      }
      const { policies, unknown } = index.policiesSelecting(workload);
      const ingress = policies.filter(p => p.affectsIngress).map(policyName);
      const egress = policies.filter(p => p.affectsEgress).map(policyName);
      const unknownNote = unknown.length
        ? ` NetworkPolicies with invalid podSelectors may also apply: ${unknown
            .map(p => `${policyName(p)} (${p.error})`)
            .join('; ')}.`
        : '';
      if (ingress.length === 0) {
        findings.push(
          finding(
            unknown.length ? 'error' : 'fail',
            resource,
            `No NetworkPolicy selects the pods of ${describe(
              member,
            )} for ingress: any pod or address can connect to them.${unknownNote}`,
          ),
        );
      } else if (egress.length === 0) {
        findings.push(
          finding(
            unknown.length ? 'error' : 'warn',
            resource,
            `Pods of ${describe(
              member,
            )} are isolated for ingress (${ingress.join(
              ', ',
            )}) but no NetworkPolicy restricts their egress.${unknownNote}`,
          ),
        );
      } else {
        findings.push(
          finding(
            'pass',
            resource,
            `Pods of ${describe(
              member,
            )} are isolated for ingress (${ingress.join(
              ', ',
            )}) and egress (${egress.join(', ')}).`,
          ),
        );
      }
    }
    return findings;
  },
};
