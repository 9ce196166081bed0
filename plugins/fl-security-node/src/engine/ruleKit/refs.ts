/** References to the resources results are reported on; each names its cluster when it has one. */
import type { ResourceRef } from '@fl-security/plugin-fl-security-common';
import type { ClusterIndex } from '../model/clusterIndex';
import type { Member } from '../model/federation';
import type { CompiledPolicy } from '../model/networkPolicy';
import { namespaceOf } from '../model/objects';
import type { KubeObject } from '../types';

export function ref(
  index: ClusterIndex,
  kind: string,
  namespace: string | undefined,
  name: string,
): ResourceRef {
  return clean({ cluster: index.cluster, kind, namespace, name });
}

export function objectRef(
  index: ClusterIndex,
  object: KubeObject,
): ResourceRef {
  return ref(index, object.kind, namespaceOf(object), object.metadata.name);
}

export function workloadRef(member: Member): ResourceRef {
  const w = member.workload;
  return ref(member.index, w.kind, w.namespace, w.name);
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
  return ref(index, 'Namespace', undefined, name);
}

function clean(resource: ResourceRef): ResourceRef {
  const out: ResourceRef = { kind: resource.kind, name: resource.name };
  if (resource.cluster !== undefined) out.cluster = resource.cluster;
  if (resource.namespace !== undefined) out.namespace = resource.namespace;
  return out;
}
