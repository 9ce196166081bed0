import type { Entity } from '@backstage/catalog-model';
import {
  FL_COMPONENT_TYPE,
  FL_SECURITY_ENABLED_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@fl-security/plugin-fl-security-common';

/** Prefix of this project's annotations (fl-security/namespaces, ...). */
const FL_ANNOTATION_PREFIX = 'fl-security/';

/**
 * True for FL entities: `spec.type: federated-learning`, the opt-in
 * annotation `fl-security/enabled: "true"`, or a Kubernetes id together with
 * another `fl-security/*` annotation. FL entities still missing the
 * Kubernetes id get the card and tab, which then say what to add.
 */
export function isFlSecurityAvailable(entity: Entity): boolean {
  const type = entity.spec?.type;
  if (
    typeof type === 'string' &&
    type.toLocaleLowerCase('en-US') === FL_COMPONENT_TYPE
  ) {
    return true;
  }
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[FL_SECURITY_ENABLED_ANNOTATION] === 'true') {
    return true;
  }
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
 * The annotation that tells the backend which workloads are the entity's,
 * when neither it nor a label selector is set (the backend then falls back
 * to the entity name).
 */
export function missingKubernetesAnnotation(
  entity: Entity,
): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  return annotations[KUBERNETES_ID_ANNOTATION] ||
    annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]
    ? undefined
    : KUBERNETES_ID_ANNOTATION;
}

/** The label selector the backend scans with for this entity. */
export function workloadSelector(entity: Entity, federation: string): string {
  return (
    entity.metadata.annotations?.[KUBERNETES_LABEL_SELECTOR_ANNOTATION] ||
    `${KUBERNETES_ID_LABEL}=${federation}`
  );
}
