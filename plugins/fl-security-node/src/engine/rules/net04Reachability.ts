/**
 * NET-04: the sources NetworkPolicies allow to open the aggregator's FL port
 * must be a subset of {participants, declared namespaces, declared CIDRs}
 * (annotation fl-security/allowed-sources on the aggregator workload). Sites
 * in other clusters count when a declared source (the exposure's) admits
 * them. A site's files checked without the aggregator's skip, when the
 * generator's annotations say the aggregator runs in another cluster.
 */
import { Federation, Member, allowedSourcesOf } from '../model/federation';
import type { Reachability } from '../model/reachability';
import { annotatedAggregatorCluster } from '../model/siteClusters';
import {
  Verdict,
  defineRule,
  each,
  error,
  fail,
  pass,
  skip,
  warn,
} from '../ruleKit';
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
  const stranded = strandedSites(federation, member, result);
  if (stranded) return warn(`${stranded}${invalid}`);
  const summary = `${participants} participant workload(s)${
    others.length ? `, ${others.join(', ')}` : ''
  }${sitesText(result)}`;
  const only = `Only expected sources reach ${target}: ${summary}.${invalid}`;
  return invalid ? warn(only) : pass(only);
}

/** `, 2 site participant(s) in clusters a, b through namespace/x` */
function sitesText(result: Reachability): string {
  const sites = result.sites ?? [];
  if (sites.length === 0) return '';
  const clusters = [...new Set(sites.map(s => s.cluster ?? '(offline)'))];
  return `, ${sites.length} site participant(s) in clusters ${clusters.join(
    ', ',
  )} through the exposure (${sites[0].via.join(', ')})`;
}

/** Sites that dial the aggregator's external host while no declared source admits them. */
function strandedSites(
  federation: Federation,
  member: Member,
  result: Reachability,
): string | undefined {
  if ((result.sites ?? []).length > 0) return undefined;
  const remote = federation.participants.filter(p => p.index !== member.index);
  const declared = result.sources.some(
    s => s.expected && s.type !== 'participant',
  );
  if (remote.length === 0 || declared || !member.index.cluster) return undefined;
  const clusters = [...new Set(remote.map(p => p.index.cluster ?? ''))];
  return `No declared source (the exposure's namespace or CIDRs in fl-security/allowed-sources) reaches port ${
    result.port
  } of ${describe(member)}: the participants in clusters ${clusters.join(
    ', ',
  )} cannot come in through the exposure.`;
}

/** No aggregator: a site's files name the aggregator's cluster (offline only). */
function noAggregator(federation: Federation): Verdict {
  const marked = federation.participants.map(annotatedAggregatorCluster);
  const offline = federation.members.every(m => m.index.offline);
  const hub = marked[0];
  if (offline && hub && marked.every(c => c === hub)) {
    return skip(
      `Federation ${federation.name} has no aggregator here: its participants name cluster ${hub} as the aggregator's (fl-security/aggregator-cluster). Who reaches the aggregator is judged with cluster ${hub}'s bundle or a scan of the federation.`,
    );
  }
  return error(
    `Federation ${federation.name} has no aggregator (label fl-security/role=aggregator or a flower-superlink process): reachability cannot be evaluated.`,
  );
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
    noAggregator(federation),
  ),
});
