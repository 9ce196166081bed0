/**
 * Reachability of every aggregator's FL ports, computed once per federation
 * and shared by NET-04 and the report's `reachability` section.
 */
import type { ReachabilityEntry } from '@fl-security/plugin-fl-security-common';
import { Federation, Member, allowedSourcesOf } from '../../model/federation';
import { fleetPorts } from '../../model/flower';
import { Reachability, ingressReachability } from '../../model/reachability';
import { clusterOfMember, siteOf } from '../../model/siteClusters';
import type { Workload } from '../../model/workloads';
import { workloadRef } from '../../ruleKit';
import { dialsOf, externalHosts } from './dialling';

export interface AggregatorReachability {
  member: Member;
  /** Why the FL port could not be determined (no Flower process, no port). */
  error?: string;
  results: Reachability[];
}

/**
 * FL ports of an aggregator: Flower flags, else the pod's container ports
 * named fleet* (an in-pod gateway in front of a loopback-bound SuperLink),
 * else its declared TCP container ports.
 */
export function aggregatorPorts(member: Member): number[] {
  const ports = new Set<number>();
  for (const process of member.flower) {
    if (process.role === 'aggregator')
      fleetPorts(process).forEach(p => ports.add(p));
  }
  if (ports.size === 0) {
    for (const container of member.workload.containers) {
      if (container.init) continue;
      for (const port of container.ports)
        if (port.protocol === 'TCP' && /fleet/i.test(port.name ?? ''))
          ports.add(port.containerPort);
    }
  }
  if (ports.size === 0) {
    for (const container of member.workload.containers) {
      if (container.init) continue;
      for (const port of container.ports)
        if (port.protocol === 'TCP') ports.add(port.containerPort);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * Sites (participants in other clusters) dialling an external host of the
 * passthrough exposure reach the port when a declared source (the
 * exposure's namespace or CIDRs) does: that is the only way in for them.
 */
function withSites(
  federation: Federation,
  member: Member,
  result: Reachability,
): Reachability {
  const declared = result.sources.filter(
    s => s.expected && s.type !== 'participant',
  );
  if (declared.length === 0) return result;
  const external = externalHosts(federation);
  const through = declared.map(s => s.label).join(', ');
  const sites: NonNullable<Reachability['sites']> = [];
  const seen = new Set<Member>();
  for (const dial of dialsOf(federation, member, external)) {
    const { participant } = dial;
    if (seen.has(participant) || !external.has(dial.host)) continue;
    if (!siteOf(participant, federation)) continue;
    seen.add(participant);
    const cluster = clusterOfMember(participant);
    const { namespace, name } = participant.workload;
    sites.push({
      type: 'participant',
      label: `participants/${namespace}/${name}`,
      namespace,
      ...(cluster === undefined ? {} : { cluster }),
      expected: true,
      via: [`${dial.host} through ${through}`],
    });
  }
  return sites.length ? { ...result, sites } : result;
}

const cache = new WeakMap<Federation, AggregatorReachability[]>();

export function aggregatorReachability(
  federation: Federation,
): AggregatorReachability[] {
  const cached = cache.get(federation);
  if (cached) return cached;
  const participants = new Set<Workload>(
    federation.participants.map(p => p.workload),
  );
  const out = federation.aggregators.map(member => {
    const ports = aggregatorPorts(member);
    if (ports.length === 0) {
      return {
        member,
        error: `cannot determine the FL port of ${member.workload.kind} ${member.workload.namespace}/${member.workload.name}: no Flower command and no container port`,
        results: [],
      };
    }
    const allowed = allowedSourcesOf(member);
    return {
      member,
      results: ports.map(port =>
        withSites(
          federation,
          member,
          ingressReachability(member, port, participants, allowed),
        ),
      ),
    };
  });
  cache.set(federation, out);
  return out;
}

export function reachabilityEntries(
  federation: Federation,
): ReachabilityEntry[] {
  return aggregatorReachability(federation).flatMap(({ member, results }) =>
    results.flatMap(result =>
      [...result.sources, ...(result.sites ?? [])].map(({ expected, via, ...source }) => ({
        target: workloadRef(member),
        port: result.port,
        source,
        expected,
        via,
      })),
    ),
  );
}
