import type { Entity } from '@backstage/catalog-model';
import {
  isFlEntity,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@fl-security/plugin-fl-security-common';

/**
 * True for FL entities (the backend's rule, from the common package). FL
 * entities still missing the Kubernetes id get the card and tab, which then
 * say what to add.
 */
export const isFlSecurityAvailable: (entity: Entity) => boolean = isFlEntity;

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
