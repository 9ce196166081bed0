import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  fleetRouteRef,
  flSecurityApi,
  flSecurityEntityCard,
  flSecurityEntityContent,
  flSecurityFleetPage,
} from './extensions';

/** The plugin for the new frontend system. */
export const flSecurityPlugin = createFrontendPlugin({
  pluginId: 'fl-security',
  title: 'FL Security',
  routes: { fleet: fleetRouteRef },
  extensions: [
    flSecurityApi,
    flSecurityEntityCard,
    flSecurityEntityContent,
    flSecurityFleetPage,
  ],
});
