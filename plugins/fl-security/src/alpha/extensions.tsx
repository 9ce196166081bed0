import {
  ApiBlueprint,
  PageBlueprint,
  coreApis,
  createRouteRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import SecurityIcon from '@material-ui/icons/Security';
import { flSecurityApiRef } from '../api/FlSecurityApi';
import { FlSecurityClient } from '../api/FlSecurityClient';
import { isFlSecurityAvailable } from '../lib/entity';
import { ENTITY_CONTENT_PATH, FLEET_PAGE_PATH } from '../lib/paths';

/** Route of the fleet page in the new frontend system. */
export const fleetRouteRef = createRouteRef();

export const flSecurityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: flSecurityApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new FlSecurityClient({ discoveryApi, fetchApi }),
    }),
});

/** Overview card: `entity-card:fl-security/overview`. */
export const flSecurityEntityCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isFlSecurityAvailable,
    loader: () =>
      import('../components/EntityCard/SecurityOverviewCard').then(m => (
        <m.SecurityOverviewCard />
      )),
  },
});

/** The "FL Security" tab: `entity-content:fl-security/report`. */
export const flSecurityEntityContent = EntityContentBlueprint.make({
  name: 'report',
  params: {
    path: ENTITY_CONTENT_PATH,
    title: 'FL Security',
    filter: isFlSecurityAvailable,
    loader: () =>
      import('../components/EntityContent/SecurityReportContent').then(m => (
        <m.SecurityReportContent />
      )),
  },
});

/** Fleet overview page at /fl-security: `page:fl-security`. */
export const flSecurityFleetPage = PageBlueprint.make({
  params: {
    path: FLEET_PAGE_PATH,
    title: 'FL Security',
    icon: <SecurityIcon />,
    routeRef: fleetRouteRef,
    loader: () =>
      import('../components/FleetPage/FleetOverview').then(m => (
        <m.FleetOverview />
      )),
  },
});
