/**
 * Reachability of every aggregator's FL ports, computed once per federation
 * and shared by NET-04 and the report's `reachability` section.
 */
import type { ReachabilityEntry } from '@fl-security/plugin-fl-security-common';
import { Federation, Member, allowedSourcesOf } from '../../model/federation';
import { fleetPorts } from '../../model/flower';
import { Reachability, ingressReachability } from '../../model/reachability';
import type { Workload } from '../../model/workloads';
import { workloadRef } from '../../ruleKit';

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
        ingressReachability(member, port, participants, allowed),
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
      result.sources.map(({ expected, via, ...source }) => ({
        target: workloadRef(member),
        port: result.port,
        source,
        expected,
        via,
      })),
    ),
  );
}
