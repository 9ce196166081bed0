import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  BackstageCredentials,
  createServiceFactory,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
// The integration tests run the real backend plugins, as the portal does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import flSecurityPlugin from '@fl-security/plugin-fl-security-backend';
import request from 'supertest';
import { stringify } from 'yaml';
import { PortalCluster } from './portalBackend';

/**
 * The permission policy of a multi-team portal: FL security permissions
 * (read, refresh) only for the owners of the entity, through the catalog's
 * own isEntityOwner condition (members of `adminGroups`: every entity);
 * everything else allowed.
 */
export function ownersOnlyPolicy(adminGroups: readonly string[] = []) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'fl-security-owners-only',
    register(env) {
      env.registerInit({
        deps: {
          policy: policyExtensionPoint,
          userInfo: coreServices.userInfo,
        },
        async init({ policy, userInfo }) {
          policy.setPolicy({
            async handle(
              query: PolicyQuery,
              user?: PolicyQueryUser,
            ): Promise<PolicyDecision> {
              if (
                query.permission.name.startsWith('fl-security.') &&
                isResourcePermission(query.permission, 'catalog-entity')
              ) {
                const claims = user
                  ? (await userInfo.getUserInfo(user.credentials))
                      .ownershipEntityRefs
                  : [];
                if (claims.some(claim => adminGroups.includes(claim))) {
                  return { result: AuthorizeResult.ALLOW };
                }
                return createCatalogConditionalDecision(
                  query.permission,
                  catalogConditions.isEntityOwner({ claims }),
                );
              }
              return { result: AuthorizeResult.ALLOW };
            },
          });
        },
      });
    },
  });
}

/** User info whose ownership refs are the user and the groups `groups` maps it to. */
export function userGroups(groups: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const principal = credentials.principal as { userEntityRef: string };
        const user = principal.userEntityRef;
        return {
          userEntityRef: user,
          ownershipEntityRefs: [user, ...(groups[user] ?? [])],
        };
      },
    }),
  });
}

const MOCK_SERVICE_TOKEN = 'mock-service-token:';

/**
 * The mock httpAuth, except that a plugin's request on behalf of a user
 * carries that plugin as the actor, as the production auth service does
 * (the mock drops it, and the catalog refuses to evaluate permission
 * conditions for a user who is not acting through a plugin).
 */
export const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): HttpAuthService {
    const inner = mockServices.httpAuth({
      pluginId: plugin.getId(),
      defaultCredentials: mockCredentials.none(),
    });
    return {
      async credentials(req, options) {
        const credentials = await inner.credentials(req, options);
        const token = /^Bearer (\S+)$/i.exec(
          req.headers.authorization ?? '',
        )?.[1];
        if (token?.startsWith(MOCK_SERVICE_TOKEN)) {
          const { sub, obo } = JSON.parse(
            token.slice(MOCK_SERVICE_TOKEN.length),
          );
          if (
            obo &&
            (credentials.principal as { type: string }).type === 'user'
          ) {
            return mockCredentials.user(obo, {
              actor: { subject: sub },
            }) as typeof credentials;
          }
        }
        return credentials;
      },
      issueUserCookie: (res, options) => inner.issueUserCookie(res, options),
    };
  },
});

export interface TenancyPortal {
  /** http://localhost:<port> of the backend (for HTTP clients). */
  baseUrl: string;
  /** An HTTP request to the backend as `user` (a user entity ref). */
  as(
    user: string,
    method: 'get' | 'post',
    path: string,
  ): Promise<request.Response>;
  /** Waits until the catalog has processed every entity of the file. */
  waitForCatalog(count: number): Promise<void>;
  /** Removes the catalog file (the backend stops with the test file). */
  close(): void;
}

/**
 * The portal's backend with the real catalog (entities from a file), the
 * real permission backend with an owners-only policy, and the FL security
 * backend reading one cluster as the portal ServiceAccount. Users belong
 * to the groups `groups` maps them to (what the sign-in resolver would
 * put in their token).
 */
export async function startTenancyPortal(options: {
  cluster: PortalCluster;
  entities: unknown[];
  groups: Record<string, string[]>;
  flSecurity: object;
  /** More plugins of the portal (e.g. the MCP actions backend). */
  features?: Parameters<typeof startTestBackend>[0]['features'];
  /** Configuration of the backend (`backend.actions`, `mcpActions`...). */
  backend?: object;
  mcpActions?: object;
}): Promise<TenancyPortal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flsec-tenancy-'));
  const catalogFile = path.join(dir, 'entities.yaml');
  fs.writeFileSync(
    catalogFile,
    options.entities.map(entity => stringify(entity)).join('---\n'),
  );
  const { cluster } = options;
  const { server } = await startTestBackend({
    features: [
      import('@backstage/plugin-catalog-backend'),
      import('@backstage/plugin-permission-backend'),
      ownersOnlyPolicy(),
      flSecurityPlugin,
      ...(options.features ?? []),
      httpAuthWithActors,
      mockServices.rootConfig.factory({
        data: {
          ...(options.backend ? { backend: options.backend } : {}),
          ...(options.mcpActions ? { mcpActions: options.mcpActions } : {}),
          permission: { enabled: true },
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'User'] }],
            locations: [{ type: 'file', target: catalogFile }],
          },
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: cluster.name,
                    url: cluster.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: cluster.token,
                    caData: Buffer.from(cluster.caPem).toString('base64'),
                  },
                ],
              },
            ],
          },
          flSecurity: {
            schedule: {
              frequency: { hours: 24 },
              timeout: { minutes: 1 },
              initialDelay: { hours: 24 },
            },
            ...options.flSecurity,
          },
        },
      }),
      userGroups(options.groups),
    ],
  });
  const as: TenancyPortal['as'] = (user, method, route) =>
    request(server)
      [method](route)
      .set('authorization', mockCredentials.user.header(user));

  return {
    baseUrl: `http://localhost:${server.port()}`,
    as,
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
    async waitForCatalog(count) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const response = await request(server)
          .get('/api/catalog/entities/by-query?limit=1')
          .set('authorization', mockCredentials.service.header());
        if (response.status === 200 && response.body.totalItems >= count) {
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `the catalog has ${response.body?.totalItems} of ${count} entities`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 250));
      }
    },
  };
}
