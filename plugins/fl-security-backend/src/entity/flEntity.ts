import {
  CATALOG_FILTER_EXISTS,
  EntityFilterQuery,
} from '@backstage/catalog-client';
import {
  FL_COMPONENT_TYPE,
  FL_SECURITY_ENABLED_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@fl-security/plugin-fl-security-common';

export { isFlEntity } from '@fl-security/plugin-fl-security-common';

/** Catalog filters narrowing the candidates; `isFlEntity` decides. */
export const FL_ENTITY_FILTERS: EntityFilterQuery = [
  { kind: 'Component', 'spec.type': FL_COMPONENT_TYPE },
  { [`metadata.annotations.${FL_SECURITY_ENABLED_ANNOTATION}`]: 'true' },
  {
    [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
  },
];
