import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
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
  const addNamespaces = (annotation: string) => {
    const value = annotations[annotation];
    if (value === undefined) return;
    for (const raw of value.split(',')) {
      const namespace = raw.trim();
      if (!DNS_LABEL.test(namespace)) {
        invalid(annotation, value, 'comma-separated namespace names');
      }
      if (!namespaces.includes(namespace)) namespaces.push(namespace);
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

  return {
    federation,
    owner: { entityRef: stringifyEntityRef(entity), federation },
    labelSelector,
    ...(namespaces.length > 0 ? { namespaces } : {}),
    ...(cluster !== undefined ? { cluster } : {}),
  };
}
