import {
  FL_COMPONENT_TYPE,
  FL_SECURITY_ENABLED_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@fl-security/plugin-fl-security-common';
import { EntityPredicate } from '../router/catalogConditions';

export { isFlEntity } from '@fl-security/plugin-fl-security-common';

/**
 * Catalog query narrowing the candidates (combinable with `$all`);
 * `isFlEntity` decides.
 */
export const FL_ENTITY_QUERY: EntityPredicate = {
  $any: [
    { kind: 'Component', 'spec.type': FL_COMPONENT_TYPE },
    { [`metadata.annotations.${FL_SECURITY_ENABLED_ANNOTATION}`]: 'true' },
    { [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: { $exists: true } },
  ],
};
