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
