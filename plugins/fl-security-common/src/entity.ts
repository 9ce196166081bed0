import type { Entity } from '@backstage/catalog-model';
import { FL_SECURITY_ENABLED_ANNOTATION } from './api';
import { FL_COMPONENT_TYPE, KUBERNETES_ID_ANNOTATION } from './labels';

/** Prefix of this project's annotations (fl-security/namespaces, ...). */
const FL_ANNOTATION_PREFIX = 'fl-security/';

/**
 * FL entities, the same for the backend's scans and the frontend's card and
 * tab: `spec.type: federated-learning`, the opt-in annotation
 * `fl-security/enabled: "true"`, or a Kubernetes id together with another
 * `fl-security/*` annotation.
 */
export function isFlEntity(entity: Entity): boolean {
  const type = entity.spec?.type;
  if (
    typeof type === 'string' &&
    type.toLocaleLowerCase('en-US') === FL_COMPONENT_TYPE
  ) {
    return true;
  }
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[FL_SECURITY_ENABLED_ANNOTATION] === 'true') return true;
  return (
    Boolean(annotations[KUBERNETES_ID_ANNOTATION]) &&
    Object.keys(annotations).some(
      key =>
        key.startsWith(FL_ANNOTATION_PREFIX) &&
        key !== FL_SECURITY_ENABLED_ANNOTATION,
    )
  );
}

/**
 * Namespace label naming the federation (backstage.io/kubernetes-id of its
 * entity) a namespace belongs to. With {@link NAMESPACE_ENTITY_ANNOTATION},
 * the binding the reader verifies before it reads anything in a namespace.
 * Written by the generator; Namespace objects are cluster-scoped, so only
 * whoever may patch namespaces (cluster admins) can change it.
 */
export const NAMESPACE_FEDERATION_LABEL = 'fl-security/federation';

/** Namespace annotation naming the one catalog entity that owns it (`kind:namespace/name`). */
export const NAMESPACE_ENTITY_ANNOTATION = 'fl-security/entity-ref';

/** A full entity ref: `kind:namespace/name`, as the catalog forms them. */
const FULL_ENTITY_REF =
  /^[a-zA-Z][a-zA-Z0-9]{0,62}:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\/[a-zA-Z0-9](?:[-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

/** True for a full entity ref (`kind:namespace/name`, no defaults applied). */
export function isFullEntityRef(value: string): boolean {
  return FULL_ENTITY_REF.test(value);
}

/** Whether a Namespace object is bound to an entity, and why not. */
export type NamespaceBinding =
  | { bound: true }
  | { bound: false; reason: string };

/**
 * Checks the binding written on a Namespace object against an entity. Both
 * must hold: the label names the entity's federation id and the annotation
 * names the entity ref (compared case-insensitively, as the catalog does).
 * Reasons never repeat the namespace's own values: they may belong to
 * another team.
 */
export function namespaceBinding(
  namespace: {
    metadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
  },
  entity: { entityRef: string; federation: string },
): NamespaceBinding {
  const federation = namespace.metadata?.labels?.[NAMESPACE_FEDERATION_LABEL];
  const owner = namespace.metadata?.annotations?.[NAMESPACE_ENTITY_ANNOTATION];
  if (federation === undefined && owner === undefined) {
    return {
      bound: false,
      reason: `it carries no fl-security binding (label ${NAMESPACE_FEDERATION_LABEL} and annotation ${NAMESPACE_ENTITY_ANNOTATION})`,
    };
  }
  if (federation !== entity.federation) {
    return {
      bound: false,
      reason:
        federation === undefined
          ? `it has no label ${NAMESPACE_FEDERATION_LABEL}`
          : `its label ${NAMESPACE_FEDERATION_LABEL} names another federation than ${entity.federation}`,
    };
  }
  if (owner === undefined) {
    return {
      bound: false,
      reason: `it has no annotation ${NAMESPACE_ENTITY_ANNOTATION}`,
    };
  }
  const normalized = (ref: string) => ref.trim().toLocaleLowerCase('en-US');
  if (
    !isFullEntityRef(owner.trim()) ||
    normalized(owner) !== normalized(entity.entityRef)
  ) {
    return {
      bound: false,
      reason: `its annotation ${NAMESPACE_ENTITY_ANNOTATION} names another entity than ${entity.entityRef} (an entity renamed or moved must be bound again on the Namespace)`,
    };
  }
  return { bound: true };
}
