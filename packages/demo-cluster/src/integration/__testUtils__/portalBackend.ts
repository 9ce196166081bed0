import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityReportResponse } from '@fl-security/plugin-fl-security-common';
// The integration tests run the real backend plugin, as the portal does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import flSecurityPlugin from '@fl-security/plugin-fl-security-backend';
import request from 'supertest';

/** One entry of kubernetes.clusterLocatorMethods[0].clusters. */
export interface PortalCluster {
  name: string;
  /** API server URL (https://127.0.0.1:<port>). */
  url: string;
  caPem: string;
  /** The portal ServiceAccount's token: the backend reads with it only. */
  token: string;
}

export interface PortalBackend {
  /** GET /api/fl-security/v1/reports/component/default/<name>?refresh=true */
  report(entityName: string): Promise<EntityReportResponse>;
}

/**
 * The FL security backend plugin as the portal runs it: configured like the
 * Kubernetes plugin, entities from a catalog, reports through its HTTP API.
 * Only auth, permissions, scheduler and database are test doubles; cluster
 * reads go through @kubernetes/client-node to the given API servers.
 */
export async function startPortalBackend(options: {
  clusters: PortalCluster[];
  entities: Entity[];
  databases: TestDatabases;
  /** Per-cluster read timeout (the plugin's default is 20 s). */
  clusterTimeoutSeconds?: number;
}): Promise<PortalBackend> {
  const { server } = await startTestBackend({
    features: [
      flSecurityPlugin,
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: options.clusters.map(c => ({
                  name: c.name,
                  url: c.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: c.token,
                  caData: Buffer.from(c.caPem, 'utf8').toString('base64'),
                })),
              },
            ],
          },
          flSecurity: {
            // Scans happen on request only in these tests.
            schedule: {
              frequency: { hours: 24 },
              timeout: { minutes: 1 },
              initialDelay: { hours: 24 },
            },
            reader: {
              clusterTimeout: { seconds: options.clusterTimeoutSeconds ?? 20 },
            },
            // These tests rescan right after each change they make.
            scans: {
              minInterval: { milliseconds: 1 },
              perUser: { limit: 1000 },
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.database.factory({
        knex: await options.databases.init('SQLITE_3'),
      }),
    ],
  });

  return {
    async report(entityName) {
      const response = await request(server)
        .get(
          `/api/fl-security/v1/reports/component/default/${entityName}?refresh=true`,
        )
        .set('authorization', mockCredentials.user.header());
      if (response.status !== 200) {
        throw new Error(
          `report of ${entityName}: HTTP ${response.status} ${response.text}`,
        );
      }
      return response.body as EntityReportResponse;
    },
  };
}
