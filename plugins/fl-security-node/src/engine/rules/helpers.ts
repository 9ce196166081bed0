/** Small builders shared by the rules. */
import type {
  CheckStatus,
  ResourceRef,
} from '@fl-security/plugin-fl-security-common';
import type { ClusterIndex } from '../model/clusterIndex';
import type { Member } from '../model/federation';
import type { CompiledPolicy } from '../model/networkPolicy';
import { namespaceOf } from '../model/objects';
import type { KubeObject, SnapshotGap } from '../types';
import type { Finding } from './types';

export function objectRef(
  index: ClusterIndex,
  object: KubeObject,
): ResourceRef {
  return clean({
    cluster: index.cluster,
    kind: object.kind,
    namespace: namespaceOf(object),
    name: object.metadata.name,
  });
}

export function workloadRef(member: Member): ResourceRef {
  const w = member.workload;
  return clean({
    cluster: member.index.cluster,
    kind: w.kind,
    namespace: w.namespace,
    name: w.name,
  });
}

export function policyRef(policy: CompiledPolicy): ResourceRef {
  return clean({
    cluster: policy.cluster,
    kind: 'NetworkPolicy',
    namespace: policy.namespace,
    name: policy.name,
  });
}

export function namespaceRef(index: ClusterIndex, name: string): ResourceRef {
  return clean({ cluster: index.cluster, kind: 'Namespace', name });
}

export function ref(
  index: ClusterIndex,
  kind: string,
  namespace: string | undefined,
  name: string,
): ResourceRef {
  return clean({ cluster: index.cluster, kind, namespace, name });
}

function clean(resource: ResourceRef): ResourceRef {
  const out: ResourceRef = { kind: resource.kind, name: resource.name };
  if (resource.cluster !== undefined) out.cluster = resource.cluster;
  if (resource.namespace !== undefined) out.namespace = resource.namespace;
  return out;
}

export function finding(
  status: CheckStatus,
  resource: ResourceRef,
  message: string,
  remediation?: string,
): Finding {
  return remediation
    ? { status, resource, message, remediation }
    : { status, resource, message };
}

/** A rule could not look at something: the gap's status and reason, with the missing permission. */
export function gapFinding(
  gap: SnapshotGap,
  resource: ResourceRef,
  subject: string,
): Finding {
  const permission = gap.missingPermission
    ? ` (missing permission: ${gap.missingPermission})`
    : '';
  return finding(
    gap.status,
    resource,
    `${subject}: ${gap.reason}${permission}`,
    gap.missingPermission
      ? `Grant the reader "${gap.missingPermission}".`
      : undefined,
  );
}

/**
 * The finding for a namespace whose NetworkPolicies could not be read (a
 * missing permission, a timeout), or undefined when they were read.
 */
export function networkPolicyGapFinding(
  index: ClusterIndex,
  namespace: string,
  resource: ResourceRef,
): Finding | undefined {
  const gap = index.gapFor('NetworkPolicy', namespace);
  return gap
    ? gapFinding(gap, resource, `NetworkPolicies of namespace ${namespace}`)
    : undefined;
}

const ORDER: Record<CheckStatus, number> = {
  pass: 0,
  skip: 1,
  warn: 2,
  error: 3,
  fail: 4,
};

/** The more severe of two statuses (fail > error > warn > skip > pass). */
export function worst(a: CheckStatus, b: CheckStatus): CheckStatus {
  return ORDER[a] >= ORDER[b] ? a : b;
}

export function describe(member: Member): string {
  return `${member.workload.kind} ${member.workload.namespace}/${member.workload.name}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
