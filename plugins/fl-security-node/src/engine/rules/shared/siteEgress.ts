/**
 * NET-05 for a site: a participant in another cluster than its aggregator.
 * There the aggregator is only its external entry (addresses and port, as
 * the aggregator's cluster says them): every pod and namespace a site
 * policy names is in the site's cluster, whatever its name. Allowed besides
 * the entry: DNS-only rules, the mesh control plane when a mesh is in use
 * and the participant's declared `fl-security/allowed-egress`. Without the
 * entry's addresses nothing is accepted as the aggregator (skip or error).
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { AddressSet } from '../../model/addressSet';
import {
  ExternalEntry,
  externalEntryOf,
} from '../../model/externalEntry';
import {
  AllowedSources,
  Federation,
  Member,
  allowedEgressOf,
} from '../../model/federation';
import { ISTIO_ROOT_NAMESPACE, meshInUse } from '../../model/mesh';
import {
  CompiledPolicy,
  PortSpec,
  PolicyRule,
  onlyDnsPorts,
} from '../../model/networkPolicy';
import { PeerGroup, peerGroups, policyName } from '../../model/reachability';
import { Site, inCluster } from '../../model/siteClusters';
import { Verdict, verdict, worst } from '../../ruleKit';
import { describe } from './describe';

interface Finding {
  status: CheckStatus;
  text: string;
}

/** Why the entry is unknown, and how bad that is; undefined when known. */
interface Unknown {
  status: CheckStatus;
  why: string;
}

interface SiteScope {
  site: Site;
  entry: ExternalEntry;
  unknown?: Unknown;
  declared: AllowedSources;
  declaredAddresses: AddressSet;
  mesh: boolean;
  where: string;
}

function portText(spec: PortSpec): string {
  if (spec.port === undefined) return `every ${spec.protocol} port`;
  const range = spec.endPort !== undefined ? `-${spec.endPort}` : '';
  return `${spec.protocol} port ${spec.port}${range}`;
}

/** Ports a rule admits beyond the entry's TCP ports; undefined when none. */
function portsBeyond(ports: PortSpec[] | 'all', entry: number[]): string | undefined {
  if (ports === 'all') return 'every port';
  const extra = ports.filter(
    spec =>
      spec.protocol !== 'TCP' ||
      typeof spec.port !== 'number' ||
      (spec.endPort !== undefined && spec.endPort !== spec.port) ||
      !entry.includes(spec.port),
  );
  return extra.length ? extra.map(portText).join(', ') : undefined;
}

export function entryText(entry: ExternalEntry): string {
  return `${entry.addresses.toCidrs().join(', ')} on port ${entry.ports.join(', ')}`;
}

function cidrFinding(
  peer: Extract<PeerGroup, { kind: 'cidr' }>['peer'],
  rule: PolicyRule,
  via: string,
  scope: SiteScope,
): Finding | undefined {
  const own = peer.addresses.except(scope.declaredAddresses);
  if (own.isEmpty()) return undefined;
  const everything = own.coversAll(peer.cidr.family);
  if (scope.unknown && !everything)
    return { status: scope.unknown.status, text: `${peer.text} (${via}), which cannot be compared with the aggregator's external addresses` };
  if (everything) return { status: 'fail', text: `every address ${peer.text} (${via})` };
  if (!scope.entry.addresses.covers(own))
    return { status: 'fail', text: `${peer.text} (${via}), beyond the aggregator's external address ${scope.entry.addresses.toCidrs().join(', ')}` };
  const extra = portsBeyond(rule.ports, scope.entry.ports);
  return extra
    ? { status: 'fail', text: `${peer.text} on ${extra} (${via}), beyond the aggregator's external entry (port ${scope.entry.ports.join(', ')})` }
    : undefined;
}

/** A destination in the site's own cluster (never the aggregator there). */
function podFinding(group: PeerGroup, via: string, scope: SiteScope): Finding | undefined {
  const { declared, mesh, where } = scope;
  const allowed = (ns: string) =>
    declared.namespaces.has(ns) || (mesh && ns === ISTIO_ROOT_NAMESPACE);
  const fail = (text: string): Finding => ({ status: 'fail', text: `${text} ${where} (${via})` });
  switch (group.kind) {
    case 'any':
      return { status: 'fail', text: `any destination (${via})` };
    case 'allNamespaces':
      return fail('every pod in every namespace');
    case 'namespace':
      return allowed(group.namespace) ? undefined : fail(`every pod of namespace ${group.namespace}`);
    case 'workload': {
      const w = group.workload;
      return allowed(w.namespace) ? undefined : fail(`${w.kind} ${w.namespace}/${w.name}`);
    }
    case 'podsInNamespace':
      return allowed(group.namespace)
        ? undefined
        : fail(`pods matching ${group.selector} in namespace ${group.namespace}`);
    case 'namespaceSelector':
      return fail(`namespaces matching ${group.selector}`);
    default:
      return undefined;
  }
}

function policyFindings(member: Member, policy: CompiledPolicy, scope: SiteScope): Finding[] {
  const out: Finding[] = [];
  const via = policyName(policy);
  for (const rule of policy.egress) {
    if (onlyDnsPorts(rule.ports)) continue;
    for (const error of rule.errors) out.push({ status: 'error', text: `${via}: ${error}` });
    for (const group of peerGroups(member.index, policy, rule)) {
      const finding =
        group.kind === 'cidr' ? cidrFinding(group.peer, rule, via, scope) : podFinding(group, via, scope);
      if (finding) out.push(finding);
    }
  }
  return out;
}

function unknownEntry(member: Member, site: Site, entry: ExternalEntry): Unknown | undefined {
  if (!entry.addresses.isEmpty() && entry.ports.length > 0) return undefined;
  const hub = site.aggregatorCluster ? `cluster ${site.aggregatorCluster}` : 'its cluster';
  if (!site.aggregatorRead) {
    const offline = member.index.offline;
    return {
      status: offline ? 'skip' : 'error',
      why: `the aggregator runs in ${hub}, which was not ${offline ? 'checked' : 'read'} with this one: its external addresses are unknown`,
    };
  }
  return {
    status: 'error',
    why: `the aggregator's passthrough exposure in ${hub} names no external address (annotation fl-security/external-addresses, or status addresses of its Ingress or Gateway)`,
  };
}

function scopeOf(member: Member, federation: Federation, site: Site): SiteScope {
  const entry = externalEntryOf(federation);
  const declared = allowedEgressOf(member);
  return {
    site,
    entry,
    unknown: unknownEntry(member, site, entry),
    declared,
    declaredAddresses: AddressSet.fromCidrs(declared.cidrs.map(c => c.text)).set,
    mesh: meshInUse(member.index, [member.workload.namespace]),
    where: inCluster(site.cluster),
  };
}

/** The NET-05 verdict on a site's participant whose egress some policy restricts. */
export function siteEgressVerdict(
  member: Member,
  federation: Federation,
  site: Site,
  egress: readonly CompiledPolicy[],
): Verdict {
  const scope = scopeOf(member, federation, site);
  const subject = `${describe(member)} ${scope.where}`;
  const findings = egress.flatMap(policy => policyFindings(member, policy, scope));
  const invalid = [...scope.declared.invalid, ...scope.entry.invalid];
  const ignored = invalid.length ? ` Ignored invalid entries: ${invalid.join(', ')}.` : '';
  if (findings.length === 0 && scope.unknown) {
    // Nothing but DNS and declared destinations: no need for the entry.
    return verdict('pass', `Egress of ${subject} is limited to DNS and its declared destinations (${egress.map(policyName).join(', ')}).${ignored}`);
  }
  if (findings.length === 0) {
    return verdict(
      ignored ? 'warn' : 'pass',
      `Egress of ${subject} is limited to the aggregator's external entry ${entryText(scope.entry)} (${scope.entry.sources.join('; ')}), DNS${scope.mesh ? ', the mesh control plane' : ''}${scope.declared.namespaces.size + scope.declared.cidrs.length ? ' and its declared destinations' : ''} (${egress.map(policyName).join(', ')}).${ignored}`,
    );
  }
  const status = findings.map(f => f.status).reduce(worst);
  const remediation = scope.unknown
    ? `Scan the aggregator's cluster with the site's (fl-security/clusters), and name the external entry on the aggregator's exposure (fl-security/external-addresses, fl-security/external-port) if its status shows no address.`
    : `Limit the egress of the site's participant pods to ${entryText(scope.entry)} (TCP) and DNS; declare anything else it must reach in fl-security/allowed-egress.`;
  const head =
    status === 'fail' || !scope.unknown
      ? `${subject} may connect beyond the aggregator's external entry${scope.unknown ? '' : ` ${entryText(scope.entry)}`}`
      : `Cannot tell whether ${subject} connects only to the aggregator: ${scope.unknown.why}. It may connect to`;
  return verdict(
    status,
    `${head}: ${[...new Set(findings.map(f => f.text))].join('; ')}.${ignored}`,
    remediation,
  );
}
