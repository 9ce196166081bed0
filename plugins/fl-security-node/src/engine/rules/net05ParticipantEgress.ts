/**
 * NET-05: participants may only open connections to the aggregator (or the
 * gateway namespaces declared on it, in its cluster), DNS, the mesh control
 * plane when a mesh is in use, and what the participant declares in
 * `fl-security/allowed-egress` (e.g. a Vault server). Each egress rule of
 * each policy is resolved once (cached per policy). A site in another
 * cluster may reach only the aggregator's external entry (shared/siteEgress).
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import type { Member } from '../model/federation';
import { Cidr, cidrContains, isAllAddresses } from '../model/cidr';
import type { ClusterIndex } from '../model/clusterIndex';
import {
  AllowedSources,
  Federation,
  allowedEgressOf,
  allowedSourcesOf,
} from '../model/federation';
import { ISTIO_ROOT_NAMESPACE, meshInUse } from '../model/mesh';
import {
  CompiledPolicy,
  PolicyRule,
  PortSpec,
  onlyDnsPorts,
} from '../model/networkPolicy';
import { PeerGroup, peerGroups, policyName } from '../model/reachability';
import { inCluster, siteOf } from '../model/siteClusters';
import type { Workload } from '../model/workloads';
import { defineRule, each, verdict, worst } from '../ruleKit';
import { describe } from './shared/describe';
import { siteEgressVerdict } from './shared/siteEgress';
import { NETWORK_POLICIES } from './shared/needs';
import { aggregatorPorts } from './shared/reachability';
import { participants } from './shared/subjects';

/** A destination outside the aggregator and DNS, before per-participant allowances. */
interface Destination {
  status: CheckStatus;
  text: string;
  /** Namespace of the destination, when it is one. */
  namespace?: string;
  cidr?: Cidr;
}

/** Ports a rule admits on the aggregator beyond its FL ports (named ports resolved on its pods). */
function portsBeyondFleet(
  ports: PortSpec[] | 'all',
  aggregator: Workload,
  fleet: readonly number[],
): string | undefined {
  if (ports === 'all') return 'every port';
  const resolve = (port: number | string | undefined) =>
    typeof port === 'string'
      ? aggregator.containers
          .flatMap(c => c.ports)
          .find(p => p.name === port)?.containerPort
      : port;
  const extra = ports.filter(spec => {
    const port = resolve(spec.port);
    return (
      spec.protocol !== 'TCP' ||
      port === undefined ||
      (spec.endPort !== undefined && spec.endPort !== port) ||
      !fleet.includes(port)
    );
  });
  return extra.length
    ? extra.map(spec => `${spec.protocol} port ${spec.port ?? '*'}${spec.endPort ? `-${spec.endPort}` : ''}`).join(', ')
    : undefined;
}

/**
 * A gateway in front of the aggregator serves its entry port, not every port
 * of its namespace (metrics, admission webhooks, other tenants' routes).
 */
function gatewayDestination(
  namespace: string,
  rule: PolicyRule,
  via: string,
): Destination | undefined {
  if (rule.ports !== 'all') return undefined;
  return {
    status: 'fail',
    text: `every port of namespace ${namespace} (a gateway in front of the aggregator: allow only the port it serves the FL entry on) (${via})`,
    namespace,
  };
}

/** A group of destinations an egress rule admits, unless the aggregator's FL ports (or its gateways). */
function destinationOf(
  group: PeerGroup,
  via: string,
  rule: PolicyRule,
  aggregators: ReadonlyMap<Workload, number[]>,
  gatewayNamespaces: ReadonlySet<string>,
): Destination | undefined {
  const fail = (text: string, namespace?: string): Destination => ({
    status: 'fail',
    text: `${text} (${via})`,
    ...(namespace === undefined ? {} : { namespace }),
  });
  const gateway = (namespace: string) => gatewayDestination(namespace, rule, via);
  switch (group.kind) {
    case 'any':
      return fail('any destination');
    case 'allNamespaces':
      return fail('every pod in every namespace');
    case 'namespace':
      return gatewayNamespaces.has(group.namespace)
        ? gateway(group.namespace)
        : fail(`every pod of namespace ${group.namespace}`, group.namespace);
    case 'workload': {
      const w = group.workload;
      const fleet = aggregators.get(w);
      const beyond = fleet?.length && portsBeyondFleet(rule.ports, w, fleet);
      if (beyond)
        return fail(`${w.kind} ${w.namespace}/${w.name} on ${beyond}, besides its FL port`, w.namespace);
      if (fleet) return undefined;
      return gatewayNamespaces.has(w.namespace)
        ? gateway(w.namespace)
        : fail(`${w.kind} ${w.namespace}/${w.name}`, w.namespace);
    }
    case 'podsInNamespace':
      return gatewayNamespaces.has(group.namespace)
        ? gateway(group.namespace)
        : fail(
            `pods matching ${group.selector} in namespace ${group.namespace}`,
            group.namespace,
          );
    case 'namespaceSelector':
      return fail(`namespaces matching ${group.selector} outside the snapshot`);
    case 'cidr':
      return isAllAddresses(group.peer.cidr)
        ? {
            status: 'fail',
            text: `every address ${group.peer.cidr.text} (${via})`,
            cidr: group.peer.cidr,
          }
        : {
            status: 'warn',
            text: `${group.peer.text}, which cannot be verified to be only the aggregator (${via})`,
            cidr: group.peer.cidr,
          };
    default:
      return undefined;
  }
}

function classify(
  index: ClusterIndex,
  policy: CompiledPolicy,
  aggregators: ReadonlyMap<Workload, number[]>,
  gatewayNamespaces: ReadonlySet<string>,
): Destination[] {
  const out: Destination[] = [];
  const via = policyName(policy);
  for (const rule of policy.egress) {
    if (onlyDnsPorts(rule.ports)) continue;
    for (const error of rule.errors)
      out.push({ status: 'error', text: `${via}: ${error}` });
    for (const group of peerGroups(index, policy, rule)) {
      const destination = destinationOf(
        group,
        via,
        rule,
        aggregators,
        gatewayNamespaces,
      );
      if (destination) out.push(destination);
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

interface EgressScope {
  /** The aggregators' workloads and their FL ports. */
  aggregators: ReadonlyMap<Workload, number[]>;
  /**
   * Namespaces declared on the aggregators (gateways in front of them), per
   * cluster: a namespace of that name in another cluster is not theirs.
   */
  gatewayNamespaces: Map<ClusterIndex, Set<string>>;
  /** Destinations of each egress policy, classified once per federation. */
  perPolicy: Map<CompiledPolicy, Destination[]>;
}

const scopes = new WeakMap<Federation, EgressScope>();

function scopeOf(federation: Federation): EgressScope {
  let scope = scopes.get(federation);
  if (!scope) {
    const gatewayNamespaces = new Map<ClusterIndex, Set<string>>();
    for (const aggregator of federation.aggregators) {
      const names = gatewayNamespaces.get(aggregator.index) ?? new Set();
      allowedSourcesOf(aggregator).namespaces.forEach(ns => names.add(ns));
      gatewayNamespaces.set(aggregator.index, names);
    }
    scope = {
      aggregators: new Map(
        federation.aggregators.map(a => [a.workload, aggregatorPorts(a)]),
      ),
      gatewayNamespaces,
      perPolicy: new Map(),
    };
    scopes.set(federation, scope);
  }
  return scope;
}

function destinationsOf(
  scope: EgressScope,
  index: ClusterIndex,
  policy: CompiledPolicy,
): Destination[] {
  let classified = scope.perPolicy.get(policy);
  if (!classified) {
    classified = classify(
      index,
      policy,
      scope.aggregators,
      scope.gatewayNamespaces.get(index) ?? new Set(),
    );
    scope.perPolicy.set(policy, classified);
  }
  return classified;
}

function checkParticipant(participant: Member, federation: Federation) {
  const { index, workload } = participant;
  const { policies, unknown } = index.policiesSelecting(workload);
  const egress = policies.filter(p => p.affectsEgress);
  const site = siteOf(participant, federation);
  if (egress.length === 0) {
    return verdict(
      unknown.length ? 'error' : 'fail',
      `No NetworkPolicy restricts the egress of ${describe(participant)}${
        site ? ` ${inCluster(site.cluster)}` : ''
      }: it can connect anywhere.`,
    );
  }
  if (site) return siteEgressVerdict(participant, federation, site, egress);
  const scope = scopeOf(federation);
  const declared = allowedEgressOf(participant);
  const mesh = meshInUse(index, [workload.namespace]);
  const destinations = egress
    .flatMap(policy => destinationsOf(scope, index, policy))
    .filter(d => !allowedBy(d, declared, mesh));
  const invalid = declared.invalid.length
    ? ` Ignored invalid fl-security/allowed-egress entries: ${declared.invalid.join(
        ', ',
      )}.`
    : '';
  if (destinations.length === 0) {
    const extras = `${mesh ? ', the mesh control plane' : ''}${
      declared.namespaces.size + declared.cidrs.length
        ? ' and its declared destinations'
        : ''
    }`;
    return verdict(
      invalid ? 'warn' : 'pass',
      `Egress of ${describe(
        participant,
      )} is limited to the aggregator, DNS${extras} (${egress
        .map(policyName)
        .join(', ')}).${invalid}`,
    );
  }
  return verdict(
    destinations.map(d => d.status).reduce(worst),
    `${describe(participant)} may also connect to: ${[
      ...new Set(destinations.map(d => d.text)),
    ].join('; ')}.${invalid}`,
  );
}

export const net05ParticipantEgress = defineRule({
  id: 'NET-05',
  checks: [
    each(
      participants,
      (participant, { federation }) =>
        checkParticipant(participant, federation),
      [NETWORK_POLICIES],
    ),
  ],
});
