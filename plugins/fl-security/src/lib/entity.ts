import type { Entity } from '@backstage/catalog-model';
import {
  FL_COMPONENT_TYPE,
  FL_SECURITY_ENABLED_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
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

/** The annotation the backend needs to find the entity's workloads, if absent. */
export function missingKubernetesAnnotation(
  entity: Entity,
): string | undefined {
  return entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION]
    ? undefined
    : KUBERNETES_ID_ANNOTATION;
}
