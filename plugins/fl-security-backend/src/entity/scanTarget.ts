import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  FL_SECURITY_CLUSTERS_ANNOTATION,
  FL_SECURITY_NAMESPACES_ANNOTATION,
  KUBERNETES_CLUSTER_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@fl-security/plugin-fl-security-common';
import { FederationTarget } from '../reader/federationReader';

export interface ScanTarget extends FederationTarget {
  /** Federation id passed to the engine (kubernetes-id or entity name). */
  federation: string;
}

const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** Characters of Kubernetes label selector syntax (keys, values, operators). */
const SELECTOR = /^[A-Za-z0-9_./\-=!,() ]{1,1024}$/;
const CLUSTER_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.:@]{0,252}$/;

function invalid(annotation: string, value: string, what: string): never {
  throw new InputError(
    `annotation ${annotation} must be ${what}, got ${JSON.stringify(
      value.slice(0, 80),
    )}`,
  );
}

/**
 * What to read for an entity, from the Kubernetes plugin's annotations plus
 * `fl-security/namespaces`. Values are validated, not escaped: an invalid
 * annotation is an InputError. The annotations only choose among the
 * namespaces bound to the entity (its ref is the `owner` the reader checks
 * Namespace objects against): they narrow what is read, never widen it.
 */
export function scanTargetForEntity(entity: Entity): ScanTarget {
  const annotations = entity.metadata.annotations ?? {};

  const id = annotations[KUBERNETES_ID_ANNOTATION];
  if (id !== undefined && !LABEL_VALUE.test(id)) {
    invalid(KUBERNETES_ID_ANNOTATION, id, 'a Kubernetes label value');
  }
  const federation = id ?? entity.metadata.name;
  if (!LABEL_VALUE.test(federation)) {
    invalid('metadata.name', federation, 'a Kubernetes label value');
  }

  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  if (selector !== undefined && !SELECTOR.test(selector)) {
    invalid(KUBERNETES_LABEL_SELECTOR_ANNOTATION, selector, 'a label selector');
  }
  const labelSelector = selector ?? `${KUBERNETES_ID_LABEL}=${federation}`;

  const namespaces: string[] = [];
  const clusterNamespaces: Record<string, string[]> = {};
  const addNamespaces = (annotation: string) => {
    const value = annotations[annotation];
    if (value === undefined) return;
    for (const raw of value.split(',')) {
      const entry = raw.trim();
      // `cluster/namespace`: that cluster only (cluster names have no `/`).
      const slash = entry.indexOf('/');
      const cluster = slash < 0 ? undefined : entry.slice(0, slash);
      const namespace = slash < 0 ? entry : entry.slice(slash + 1);
      if (
        !DNS_LABEL.test(namespace) ||
        (cluster !== undefined &&
          (annotation !== FL_SECURITY_NAMESPACES_ANNOTATION ||
            !CLUSTER_NAME.test(cluster)))
      ) {
        invalid(
          annotation,
          value,
          annotation === FL_SECURITY_NAMESPACES_ANNOTATION
            ? 'comma-separated namespace names or cluster/namespace entries'
            : 'comma-separated namespace names',
        );
      }
      const list =
        cluster === undefined
          ? namespaces
          : (clusterNamespaces[cluster] ??= []);
      if (!list.includes(namespace)) list.push(namespace);
    }
  };
  // The Kubernetes plugin's annotation names one namespace.
  const single = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
  if (single !== undefined && !DNS_LABEL.test(single)) {
    invalid(KUBERNETES_NAMESPACE_ANNOTATION, single, 'a namespace name');
  }
  addNamespaces(KUBERNETES_NAMESPACE_ANNOTATION);
  addNamespaces(FL_SECURITY_NAMESPACES_ANNOTATION);

  const cluster = annotations[KUBERNETES_CLUSTER_ANNOTATION];
  if (cluster !== undefined && !CLUSTER_NAME.test(cluster)) {
    invalid(KUBERNETES_CLUSTER_ANNOTATION, cluster, 'a cluster name');
  }
  const listed = annotations[FL_SECURITY_CLUSTERS_ANNOTATION];
  const clusters: string[] = cluster === undefined ? [] : [cluster];
  for (const raw of listed?.split(',') ?? []) {
    const name = raw.trim();
    if (!CLUSTER_NAME.test(name)) {
      invalid(
        FL_SECURITY_CLUSTERS_ANNOTATION,
        listed!,
        'comma-separated cluster names',
      );
    }
    if (!clusters.includes(name)) clusters.push(name);
  }
  for (const name of Object.keys(clusterNamespaces)) {
    if (!clusters.includes(name)) clusters.push(name);
  }
  // One cluster named the Kubernetes plugin's way keeps its old shape.
  const pluginCluster = clusters.length === 1 && cluster !== undefined;

  return {
    federation,
    owner: { entityRef: stringifyEntityRef(entity), federation },
    labelSelector,
    ...(namespaces.length > 0 ? { namespaces } : {}),
    ...(pluginCluster ? { cluster } : {}),
    ...(clusters.length > 0 && !pluginCluster ? { clusters } : {}),
    ...(Object.keys(clusterNamespaces).length > 0 ? { clusterNamespaces } : {}),
  };
}
