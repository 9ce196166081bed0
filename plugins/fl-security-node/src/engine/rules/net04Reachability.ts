/**
 * NET-04: the sources NetworkPolicies allow to open the aggregator's FL port
 * must be a subset of {participants, declared namespaces, declared CIDRs}
 * (annotation fl-security/allowed-sources on the aggregator workload).
 */
import { Federation, Member, allowedSourcesOf } from '../model/federation';
import type { Reachability } from '../model/reachability';
import { Verdict, defineRule, each, error, fail, pass, warn } from '../ruleKit';
import { describe } from './shared/describe';
import { NETWORK_POLICIES } from './shared/needs';
import { aggregatorReachability } from './shared/reachability';
import { aggregators, firstOf, members } from './shared/subjects';

function portVerdict(
  federation: Federation,
  member: Member,
  result: Reachability,
  invalid: string,
): Verdict {
  const target = `port ${result.port} of ${describe(member)}`;
  const unexpected = result.sources.filter(s => !s.expected);
  if (unexpected.length > 0) {
    const list = unexpected
      .map(s => `${s.label}${s.via.length ? ` (via ${s.via.join(', ')})` : ''}`)
      .join('; ');
    return fail(
      `Sources other than the participants and the declared sources can reach ${target}: ${list}.${invalid}`,
    );
  }
  if (result.errors.length > 0)
    return error(
      `Cannot evaluate who reaches ${target}: ${result.errors.join('; ')}.`,
    );
  const participants = result.sources.filter(
    s => s.type === 'participant',
  ).length;
  const others = result.sources
    .filter(s => s.expected && s.type !== 'participant')
    .map(s => s.label);
  const sameCluster = federation.participants.some(
    p => p.index === member.index,
  );
  if (participants === 0 && sameCluster) {
    return warn(
      `No participant of the cluster can reach ${target}${
        others.length ? ` (only ${others.join(', ')})` : ''
      }: the federation cannot train.${invalid}`,
      'Allow the participant pods in the ingress rules of the policy selecting the aggregator.',
    );
  }
  const summary = `${participants} participant workload(s)${
    others.length ? `, ${others.join(', ')}` : ''
  }`;
  const only = `Only expected sources reach ${target}: ${summary}.${invalid}`;
  return invalid ? warn(only) : pass(only);
}

export const net04Reachability = defineRule({
  id: 'NET-04',
  checks: [
    each(
      aggregators,
      (member, { federation }) => {
        const { error: why, results } = aggregatorReachability(federation).find(
          r => r.member === member,
        )!;
        if (why) return error(`${why}.`);
        const allowed = allowedSourcesOf(member);
        const invalid = allowed.invalid.length
          ? ` Ignored invalid fl-security/allowed-sources entries: ${allowed.invalid.join(
              ', ',
            )}.`
          : '';
        return results.map(r => portVerdict(federation, member, r, invalid));
      },
      [NETWORK_POLICIES],
    ),
  ],
  otherwise: each(firstOf(members), (_member, { federation }) =>
    error(
      `Federation ${federation.name} has no aggregator (label fl-security/role=aggregator or a flower-superlink process): reachability cannot be evaluated.`,
    ),
  ),
});
