/**
 * FL security frontend plugin: legacy frontend system exports, the API client
 * and the entity filter. The new frontend system plugin is the default export
 * of `@fl-security/plugin-fl-security/alpha`.
 *
 * @packageDocumentation
 */
export {
  flSecurityPlugin,
  rootRouteRef,
  FlSecurityCard,
  FlSecurityContent,
  FlSecurityFleetPage,
} from './plugin';
export { isFlSecurityAvailable } from './lib/entity';
export { flSecurityApiRef, FlSecurityClient } from './api';
export type { FlSecurityApi } from './api';
