import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { flSecurityApiRef } from './api/FlSecurityApi';
import { FlSecurityClient } from './api/FlSecurityClient';

/** Mount point of the fleet page in legacy apps. */
export const rootRouteRef = createRouteRef({ id: 'fl-security' });

/** The plugin for apps on the legacy frontend system. */
export const flSecurityPlugin = createPlugin({
  id: 'fl-security',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: flSecurityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FlSecurityClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** Overview card for the entity page (legacy system). */
export const FlSecurityCard = flSecurityPlugin.provide(
  createComponentExtension({
    name: 'FlSecurityCard',
    component: {
      lazy: () =>
        import('./components/EntityCard/SecurityOverviewCard').then(
          m => m.SecurityOverviewCard,
        ),
    },
  }),
);

/**
 * Entity tab content (legacy system); mount it under
 * `<EntityLayout.Route path="/fl-security" title="FL Security" if={isFlSecurityAvailable}>`.
 */
export const FlSecurityContent = flSecurityPlugin.provide(
  createComponentExtension({
    name: 'FlSecurityContent',
    component: {
      lazy: () =>
        import('./components/EntityContent/SecurityReportContent').then(
          m => m.SecurityReportContent,
        ),
    },
  }),
);

/** Fleet overview page (legacy system); route it at `/fl-security`. */
export const FlSecurityFleetPage = flSecurityPlugin.provide(
  createRoutableExtension({
    name: 'FlSecurityFleetPage',
    component: () =>
      import('./components/FleetPage/LegacyFleetPage').then(
        m => m.LegacyFleetPage,
      ),
    mountPoint: rootRouteRef,
  }),
);
