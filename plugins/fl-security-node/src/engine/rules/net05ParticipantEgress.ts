/**
 * NET-05: participants may only open connections to the aggregator (or the
 * gateway namespaces declared on it), DNS, the mesh control plane when a
 * mesh is in use, and what the participant declares in
 * `fl-security/allowed-egress` (e.g. a Vault server). Each egress rule of
 * each policy is resolved once (cached per policy).
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { Cidr, cidrContains, isAllAddresses } from '../model/cidr';
import type { ClusterIndex } from '../model/clusterIndex';
import {
  AllowedSources,
  Federation,
  allowedEgressOf,
  allowedSourcesOf,
} from '../model/federation';
import { ISTIO_ROOT_NAMESPACE, meshInUse } from '../model/mesh';
import { CompiledPolicy, onlyDnsPorts } from '../model/networkPolicy';
import { peerGroups, policyName } from '../model/reachability';
import type { Workload } from '../model/workloads';
import {
  describe,
  finding,
  networkPolicyGapFinding,
  worst,
  workloadRef,
} from './helpers';
import type { Finding, Rule } from './types';

/** A destination outside the aggregator and DNS, before per-participant allowances. */
interface Destination {
  status: CheckStatus;
  text: string;
  /** Namespace of the destination, when it is one. */
  namespace?: string;
  cidr?: Cidr;
}

function classify(
  index: ClusterIndex,
  policy: CompiledPolicy,
  aggregators: ReadonlySet<Workload>,
  gatewayNamespaces: ReadonlySet<string>,
): Destination[] {
  const out: Destination[] = [];
  const via = policyName(policy);
  for (const rule of policy.egress) {
    if (onlyDnsPorts(rule.ports)) continue;
    for (const error of rule.errors)
      out.push({ status: 'error', text: `${via}: ${error}` });
    for (const group of peerGroups(index, policy, rule)) {
      switch (group.kind) {
        case 'any':
          out.push({ status: 'fail', text: `any destination (${via})` });
          break;
        case 'allNamespaces':
          out.push({
            status: 'fail',
            text: `every pod in every namespace (${via})`,
          });
          break;
        case 'namespace':
          if (!gatewayNamespaces.has(group.namespace)) {
            out.push({
              status: 'fail',
              text: `every pod of namespace ${group.namespace} (${via})`,
              namespace: group.namespace,
            });
          }
          break;
        case 'workload': {
          const w = group.workload;
          if (!aggregators.has(w) && !gatewayNamespaces.has(w.namespace)) {
            out.push({
              status: 'fail',
              text: `${w.kind} ${w.namespace}/${w.name} (${via})`,
              namespace: w.namespace,
            });
          }
          break;
        }
        case 'podsInNamespace':
          if (!gatewayNamespaces.has(group.namespace)) {
            out.push({
              status: 'fail',
              text: `pods matching ${group.selector} in namespace ${group.namespace} (${via})`,
              namespace: group.namespace,
            });
          }
          break;
        case 'namespaceSelector':
          out.push({
            status: 'fail',
            text: `namespaces matching ${group.selector} outside the snapshot (${via})`,
          });
          break;
        case 'cidr':
          out.push(
            isAllAddresses(group.peer.cidr)
              ? {
                  status: 'fail',
                  text: `every address ${group.peer.cidr.text} (${via})`,
                  cidr: group.peer.cidr,
                }
              : {
                  status: 'warn',
                  text: `${group.peer.text}, which cannot be verified to be only the aggregator (${via})`,
                  cidr: group.peer.cidr,
                },
          );
          break;
        default:
          break;
      }
    }
  }
  return out;
}

function allowedBy(
  destination: Destination,
  declared: AllowedSources,
  mesh: boolean,
): boolean {
  if (destination.namespace !== undefined) {
    if (declared.namespaces.has(destination.namespace)) return true;
    if (mesh && destination.namespace === ISTIO_ROOT_NAMESPACE) return true;
  }
  return (
    destination.cidr !== undefined &&
    declared.cidrs.some(c => cidrContains(c, destination.cidr!))
  );
}

const cache = new WeakMap<Federation, Map<CompiledPolicy, Destination[]>>();

export const net05ParticipantEgress: Rule = {
  id: 'NET-05',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    const aggregators = new Set(federation.aggregators.map(a => a.workload));
    const gatewayNamespaces = new Set<string>();
    for (const aggregator of federation.aggregators) {
      allowedSourcesOf(aggregator).namespaces.forEach(ns =>
        gatewayNamespaces.add(ns),
      );
    }
    const perPolicy =
      cache.get(federation) ?? new Map<CompiledPolicy, Destination[]>();
    cache.set(federation, perPolicy);
    for (const participant of federation.participants) {
      const resource = workloadRef(participant);
      const { index, workload } = participant;
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
      const egress = policies.filter(p => p.affectsEgress);
      if (egress.length === 0) {
        findings.push(
          finding(
            unknown.length ? 'error' : 'fail',
            resource,
            `No NetworkPolicy restricts the egress of ${describe(
              participant,
            )}: it can connect anywhere.`,
          ),
        );
        continue;
      }
      const declared = allowedEgressOf(participant);
      const mesh = meshInUse(index, [workload.namespace]);
      const destinations = egress
        .flatMap(policy => {
          let classified = perPolicy.get(policy);
          if (!classified) {
            classified = classify(
              index,
              policy,
              aggregators,
              gatewayNamespaces,
            );
            perPolicy.set(policy, classified);
          }
          return classified;
        })
        .filter(d => !allowedBy(d, declared, mesh));
      const invalid = declared.invalid.length
        ? ` Ignored invalid fl-security/allowed-egress entries: ${declared.invalid.join(
            ', ',
          )}.`
        : '';
      if (destinations.length === 0) {
        findings.push(
          finding(
            invalid ? 'warn' : 'pass',
            resource,
            `Egress of ${describe(
              participant,
            )} is limited to the aggregator, DNS${
              mesh ? ', the mesh control plane' : ''
            }${
              declared.namespaces.size + declared.cidrs.length
                ? ' and its declared destinations'
                : ''
            } (${egress.map(policyName).join(', ')}).${invalid}`,
          ),
        );
        continue;
      }
      const status = destinations.map(d => d.status).reduce(worst);
      findings.push(
        finding(
          status,
          resource,
          `${describe(participant)} may also connect to: ${[
            ...new Set(destinations.map(d => d.text)),
          ].join('; ')}.${invalid}`,
        ),
      );
    }
    return findings;
  },
};
