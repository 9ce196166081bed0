/**
 * NET-04: the sources NetworkPolicies allow to open the aggregator's FL port
 * must be a subset of {participants, declared namespaces, declared CIDRs}
 * (annotation fl-security/allowed-sources on the aggregator workload).
 */
import { allowedSourcesOf } from '../model/federation';
import { describe, finding, gapFinding, workloadRef } from './helpers';
import { aggregatorReachability } from './reachabilityAnalysis';
import type { Finding, Rule } from './types';

export const net04Reachability: Rule = {
  id: 'NET-04',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    if (federation.aggregators.length === 0) {
      const member = federation.members[0];
      if (member) {
        findings.push(
          finding(
            'error',
            workloadRef(member),
            `Federation ${federation.name} has no aggregator (label fl-security/role=aggregator or a flower-superlink process): reachability cannot be evaluated.`,
          ),
        );
      }
      return findings;
    }
    for (const { member, error, results } of aggregatorReachability(
      federation,
    )) {
      const resource = workloadRef(member);
      const gap = member.index.gapFor(
        'NetworkPolicy',
        member.workload.namespace,
      );
      if (gap) {
        findings.push(
          gapFinding(
            gap,
            resource,
            `NetworkPolicies of namespace ${member.workload.namespace}`,
          ),
        );
        continue;
      }
      if (error) {
        findings.push(finding('error', resource, `${error}.`));
        continue;
      }
      const allowed = allowedSourcesOf(member);
      const invalid = allowed.invalid.length
        ? ` Ignored invalid fl-security/allowed-sources entries: ${allowed.invalid.join(
            ', ',
          )}.`
        : '';
      for (const result of results) {
        const unexpected = result.sources.filter(s => !s.expected);
        const participants = result.sources.filter(
          s => s.type === 'participant',
        ).length;
        const others = result.sources
          .filter(s => s.expected && s.type !== 'participant')
          .map(s => s.label);
        const target = `port ${result.port} of ${describe(member)}`;
        if (unexpected.length > 0) {
          const list = unexpected
            .map(
              s =>
                `${s.label}${s.via.length ? ` (via ${s.via.join(', ')})` : ''}`,
            )
            .join('; ');
          findings.push(
            finding(
              'fail',
              resource,
              `Sources other than the participants and the declared sources can reach ${target}: ${list}.${invalid}`,
            ),
          );
        } else if (result.errors.length > 0) {
          findings.push(
            finding(
              'error',
              resource,
              `Cannot evaluate who reaches ${target}: ${result.errors.join(
                '; ',
              )}.`,
            ),
          );
        } else {
          const sameCluster = federation.participants.some(
            p => p.index === member.index,
          );
          const summary = `${participants} participant workload(s)${
            others.length ? `, ${others.join(', ')}` : ''
          }`;
          if (participants === 0 && sameCluster) {
            findings.push(
              finding(
                'warn',
                resource,
                `No participant of the cluster can reach ${target}${
                  others.length ? ` (only ${others.join(', ')})` : ''
                }: the federation cannot train.${invalid}`,
                'Allow the participant pods in the ingress rules of the policy selecting the aggregator.',
              ),
            );
          } else {
            findings.push(
              finding(
                invalid ? 'warn' : 'pass',
                resource,
                `Only expected sources reach ${target}: ${summary}.${invalid}`,
              ),
            );
          }
        }
      }
    }
    return findings;
  },
};
