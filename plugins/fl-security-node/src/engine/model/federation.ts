/**
 * Federations: FL workloads grouped by `backstage.io/kubernetes-id`, with
 * their roles. Unlabelled Flower workloads are recognised by image or
 * command; an unlabelled SuperNode joins the federation of the SuperLink its
 * `--superlink` address designates.
 */
import {
  ADMIN_NAMESPACE_ANNOTATION,
  ALLOWED_EGRESS_ANNOTATION,
  ALLOWED_SOURCES_ANNOTATION,
  KUBERNETES_ID_LABEL,
} from '@fl-security/plugin-fl-security-common';
import { Cidr, parseCidr } from './cidr';
import type { ClusterIndex } from './clusterIndex';
import {
  FlowerProcess,
  flagValue,
  flowerProcesses,
  hostOfAddress,
  roleOf,
} from './flower';
import { serviceForHost, serviceSelects } from './services';
import type { Workload } from './workloads';

export interface Member {
  index: ClusterIndex;
  workload: Workload;
  /** aggregator | participant | another role label value | undefined. */
  role?: string;
  flower: FlowerProcess[];
}

export interface NamespaceRef {
  index: ClusterIndex;
  name: string;
}

export interface Federation {
  name: string;
  members: Member[];
  aggregators: Member[];
  participants: Member[];
  /** Namespaces holding members, per cluster. */
  namespaces: NamespaceRef[];
}

export interface AllowedSources {
  namespaces: Set<string>;
  cidrs: Cidr[];
  /** Entries that are neither `namespace/<name>` nor a CIDR (ignored). */
  invalid: string[];
  adminNamespace?: string;
}

function federationLabel(workload: Workload): string | undefined {
  return (
    workload.podLabels[KUBERNETES_ID_LABEL] ??
    workload.labels[KUBERNETES_ID_LABEL]
  );
}

function fallbackName(workload: Workload): string {
  return (
    workload.labels['app.kubernetes.io/part-of'] ??
    workload.podLabels['app.kubernetes.io/part-of'] ??
    workload.labels['app.kubernetes.io/instance'] ??
    workload.name
  );
}

function memberOf(index: ClusterIndex, workload: Workload): Member {
  return {
    index,
    workload,
    role: roleOf(workload),
    flower: flowerProcesses(workload),
  };
}

/** The aggregator a SuperNode dials, through a Service of its cluster. */
function dialledAggregator(
  member: Member,
  aggregators: Member[],
): Member | undefined {
  for (const process of member.flower) {
    const address = flagValue(process, '--superlink');
    if (!address) continue;
    const service = serviceForHost(
      member.index,
      hostOfAddress(address),
      member.workload.namespace,
    );
    if (!service) continue;
    const target = aggregators.find(
      a => a.index === member.index && serviceSelects(service, a.workload),
    );
    if (target) return target;
  }
  return undefined;
}

export function resolveFederations(
  indexes: readonly ClusterIndex[],
): Federation[] {
  const groups = new Map<string, Member[]>();
  const add = (name: string, member: Member) => {
    const list = groups.get(name);
    if (list) list.push(member);
    else groups.set(name, [member]);
  };
  const unlabelled: Member[] = [];
  for (const index of indexes) {
    for (const workload of index.workloads) {
      const name = federationLabel(workload);
      const member = memberOf(index, workload);
      if (name) add(name, member);
      // Without a federation label only a recognised Flower process makes a member.
      else if (
        member.flower.length > 0 &&
        (member.role === 'aggregator' || member.role === 'participant')
      ) {
        unlabelled.push(member);
      }
    }
  }
  for (const member of unlabelled.filter(m => m.role === 'aggregator')) {
    add(fallbackName(member.workload), member);
  }
  const aggregatorsByFederation = new Map<Member, string>();
  for (const [name, members] of groups) {
    for (const m of members)
      if (m.role === 'aggregator') aggregatorsByFederation.set(m, name);
  }
  for (const member of unlabelled.filter(m => m.role === 'participant')) {
    const target = dialledAggregator(member, [
      ...aggregatorsByFederation.keys(),
    ]);
    if (target) add(aggregatorsByFederation.get(target)!, member);
    else if (groups.size === 1) add([...groups.keys()][0], member);
    else add(fallbackName(member.workload), member);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]) => {
      const namespaces: NamespaceRef[] = [];
      const seen = new Set<string>();
      for (const m of members) {
        const key = `${m.index.cluster ?? ''}/${m.workload.namespace}`;
        if (!seen.has(key)) {
          seen.add(key);
          namespaces.push({ index: m.index, name: m.workload.namespace });
        }
      }
      return {
        name,
        members,
        aggregators: members.filter(m => m.role === 'aggregator'),
        participants: members.filter(m => m.role === 'participant'),
        namespaces,
      };
    });
}

/** Parses a comma-separated list of `namespace/<name>` and CIDRs. */
export function parsePeerList(text: string): AllowedSources {
  const result: AllowedSources = {
    namespaces: new Set(),
    cidrs: [],
    invalid: [],
  };
  for (const entry of text.split(',')) {
    const item = entry.trim();
    if (!item) continue;
    const ns = /^namespace\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(item);
    if (ns) {
      result.namespaces.add(ns[1]);
      continue;
    }
    const cidr = parseCidr(item);
    if (cidr && item.includes('/')) result.cidrs.push(cidr);
    else result.invalid.push(item);
  }
  return result;
}

function annotationsOfMember(member: Member): Record<string, string> {
  return { ...member.workload.podAnnotations, ...member.workload.annotations };
}

/** The `fl-security/allowed-sources` and admin-namespace annotations of an aggregator. */
export function allowedSourcesOf(aggregator: Member): AllowedSources {
  const annotations = annotationsOfMember(aggregator);
  const result = parsePeerList(annotations[ALLOWED_SOURCES_ANNOTATION] ?? '');
  const admin = annotations[ADMIN_NAMESPACE_ANNOTATION]?.trim();
  if (admin) result.adminNamespace = admin.replace(/^namespace\//, '');
  return result;
}

/** The `fl-security/allowed-egress` annotation of a participant. */
export function allowedEgressOf(participant: Member): AllowedSources {
  return parsePeerList(
    annotationsOfMember(participant)[ALLOWED_EGRESS_ANNOTATION] ?? '',
  );
}

export function describeWorkload(workload: Workload): string {
  return `${workload.kind} ${workload.namespace}/${workload.name}`;
}
