/**
 * New frontend system entry: the default export is the plugin, discovered by
 * apps with `app.packages: all`.
 *
 * @packageDocumentation
 */
export { flSecurityPlugin as default } from './alpha/plugin';
export {
  fleetRouteRef,
  flSecurityApi,
  flSecurityEntityCard,
  flSecurityEntityContent,
  flSecurityFleetPage,
} from './alpha/extensions';
