/**
 * Site rows of the report's reachability section. A participant in another
 * cluster than its aggregator reaches the FL port through the exposure; the
 * ingress side (rules/shared/reachability) lists it when a declared source
 * of the exposure admits its dial. The row is only "expected" when the
 * site's own egress passed NET-05 as well, so the picture and the verdicts
 * never disagree (an error or a warning is not expected: fail closed). A
 * site the ingress side could not place is still listed, from its egress.
 */
import type {
  ReachabilityEntry,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import type { Federation, Member } from './model/federation';
import { onlyDnsPorts } from './model/networkPolicy';
import { policyName } from './model/reachability';
import { workloadRef } from './ruleKit';
import { aggregatorPorts } from './rules/shared/reachability';

const EGRESS_RULE = 'NET-05';

function sameResource(result: RuleResult, member: Member): boolean {
  const ref = workloadRef(member);
  const { resource } = result;
  return (
    resource.cluster === ref.cluster &&
    resource.kind === ref.kind &&
    resource.namespace === ref.namespace &&
    resource.name === ref.name
  );
}

/** The site's policies that let it open more than DNS (what admits the connection). */
function egressPolicies(member: Member): string[] {
  return member.index
    .policiesSelecting(member.workload)
    .policies.filter(
      policy =>
        policy.affectsEgress &&
        policy.egress.some(rule => !onlyDnsPorts(rule.ports)),
    )
    .map(policyName);
}

/** What NET-05 said about a site: a pass, or the reason it is not expected. */
function egressVerdict(
  participant: Member,
  egress: readonly RuleResult[],
): string | undefined {
  const verdicts = egress.filter(r => sameResource(r, participant));
  if (verdicts.length === 0) {
    return `${EGRESS_RULE} has no result for this participant: its egress could not be judged.`;
  }
  if (verdicts.every(r => r.status === 'pass')) return undefined;
  return verdicts.map(r => `${r.ruleId} ${r.status}: ${r.message}`).join(' ');
}

function isRowOf(
  entry: ReachabilityEntry,
  participant: Member,
  target: ReachabilityEntry['target'],
  port: number,
): boolean {
  const w = participant.workload;
  return (
    entry.port === port &&
    entry.target.cluster === target.cluster &&
    entry.target.namespace === target.namespace &&
    entry.target.name === target.name &&
    entry.source.type === 'participant' &&
    entry.source.cluster === participant.index.cluster &&
    entry.source.label === `participants/${w.namespace}/${w.name}`
  );
}

function siteRow(
  row: ReachabilityEntry | undefined,
  participant: Member,
  target: ReachabilityEntry['target'],
  port: number,
  reason: string | undefined,
): ReachabilityEntry {
  const w = participant.workload;
  const base: ReachabilityEntry = row ?? {
    target,
    port,
    source: {
      type: 'participant',
      label: `participants/${w.namespace}/${w.name}`,
      cluster: participant.index.cluster,
      namespace: w.namespace,
    },
    expected: true,
    via: [],
  };
  const via = [...new Set([...base.via, ...egressPolicies(participant)])];
  const expected = base.expected && reason === undefined;
  return {
    ...base,
    via,
    expected,
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * The reachability entries with every site participant's row judged by its
 * egress too: one row per site participant and aggregator FL port.
 */
export function withSiteEgress(
  federation: Federation,
  entries: readonly ReachabilityEntry[],
  results: readonly RuleResult[],
): ReachabilityEntry[] {
  const egress = results.filter(r => r.ruleId === EGRESS_RULE);
  const out = [...entries];
  for (const aggregator of federation.aggregators) {
    const home = aggregator.index;
    if (home.cluster === undefined) continue;
    const target = workloadRef(aggregator);
    const remote = federation.participants.filter(
      p => p.index !== home && p.index.cluster !== undefined,
    );
    for (const participant of remote) {
      const reason = egressVerdict(participant, egress);
      for (const port of aggregatorPorts(aggregator)) {
        const at = out.findIndex(e => isRowOf(e, participant, target, port));
        const row = siteRow(
          at >= 0 ? out[at] : undefined,
          participant,
          target,
          port,
          reason,
        );
        if (at >= 0) out[at] = row;
        else out.push(row);
      }
    }
  }
  return out;
}
