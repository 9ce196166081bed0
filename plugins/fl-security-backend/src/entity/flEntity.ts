import {
  CATALOG_FILTER_EXISTS,
  EntityFilterQuery,
} from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import {
  FL_COMPONENT_TYPE,
  FL_SECURITY_ENABLED_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@fl-security/plugin-fl-security-common';

const FL_ANNOTATION_PREFIX = 'fl-security/';

/**
 * FL entities (same rule as the frontend's card and tab): `spec.type:
 * federated-learning`, the opt-in annotation `fl-security/enabled: "true"`,
 * or a Kubernetes id together with another `fl-security/*` annotation.
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

/** Catalog filters narrowing the candidates; `isFlEntity` decides. */
export const FL_ENTITY_FILTERS: EntityFilterQuery = [
  { kind: 'Component', 'spec.type': FL_COMPONENT_TYPE },
  { [`metadata.annotations.${FL_SECURITY_ENABLED_ANNOTATION}`]: 'true' },
  {
    [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
  },
];
