/** How rule messages name things. */
import type { Member } from '../../model/federation';
import type { KubeObject } from '../../types';

export function describe(member: Member): string {
  return `${member.workload.kind} ${member.workload.namespace}/${member.workload.name}`;
}

/** `Kind namespace/name` as the manifest writes it (`default` when it omits the namespace). */
export function label(object: KubeObject): string {
  return `${object.kind} ${object.metadata.namespace ?? 'default'}/${
    object.metadata.name
  }`;
}
