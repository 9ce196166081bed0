import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  EntityReportResponse,
  FleetEntry,
  FleetResponse,
} from '@fl-security/plugin-fl-security-common';
import request from 'supertest';
import { loadClientNode } from './kube/clientNode';
import { recordingAuditor } from './__testUtils__/auditor';
import { flSecurityPlugin } from './plugin';
import { base64, createTestCertificate } from './__testUtils__/certs';
import { FakeKubeApi } from './__testUtils__/fakeKubeApi';
import {
  AGG_NS,
  aggregatorCertificate,
  binding,
  federationObjects,
  SITE_NS,
} from './__testUtils__/federationFixture';

jest.setTimeout(60_000);

// A database per backend, closed after the tests (the default test database
// keeps its pool timers alive).
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const TOKEN = 'portal-sa-token-0123';
const serverCert = createTestCertificate({
  commonName: 'kube-apiserver',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
});

const flDemo: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fl-demo',
    namespace: 'default',
    title: 'FL demo',
    annotations: {
      'backstage.io/kubernetes-id': 'fl-demo',
      'backstage.io/kubernetes-namespace': AGG_NS,
      'fl-security/namespaces': SITE_NS,
    },
  },
  spec: { type: 'federated-learning', lifecycle: 'experimental', owner: 'ml' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/ml' }],
};
/** Another team's FL entity, in its own bound namespace. */
const otherTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fl-other',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'fl-other',
      'backstage.io/kubernetes-namespace': 'fl-other',
    },
  },
  spec: { type: 'federated-learning', lifecycle: 'experimental', owner: 'web' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/web' }],
};
const webApp: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'website', lifecycle: 'production', owner: 'web' },
};
const badAnnotation: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'bad',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-namespace': 'Not A Namespace' },
  },
  spec: { type: 'federated-learning', lifecycle: 'experimental', owner: 'ml' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/ml' }],
};
const ENTITIES = [flDemo, otherTeam, webApp, badAnnotation];

/** Who owns what, as the catalog's IS_ENTITY_OWNER rule would see it. */
function ownerOf(entityRef: string): string | undefined {
  const entity = ENTITIES.find(
    e => `component:default/${e.metadata.name}` === entityRef,
  );
  return entity?.relations?.find(r => r.type === 'ownedBy')?.targetRef;
}

/**
 * A permission service with a policy: `decide(permission)` for the
 * unconditional answer; CONDITIONAL means "owners only", evaluated per
 * entity with the resourceRef as the permission framework would.
 */
function permissionsWith(
  decide: (permission: string) => 'allow' | 'deny' | 'owner',
  claims = ['user:default/mock', 'group:default/ml'],
) {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(query => {
        const decision = decide(query.permission.name);
        const resourceRef = (query as { resourceRef?: string }).resourceRef;
        const allowed =
          decision === 'allow' ||
          (decision === 'owner' &&
            resourceRef !== undefined &&
            claims.includes(ownerOf(resourceRef) ?? ''));
        return {
          result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }),
    authorizeConditional: async requests =>
      requests.map((query): PolicyDecision => {
        const decision = decide(query.permission.name);
        if (decision === 'owner') {
          return {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims },
            },
          };
        }
        return {
          result:
            decision === 'allow' ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }),
  });
}

/** Key material of the fixture that must never leave the backend. */
function forbiddenStrings(): string[] {
  const { keyPem } = aggregatorCertificate();
  const keyBody = keyPem
    .split('\n')
    .filter(line => line && !line.startsWith('-----'))
    .join('');
  return ['PRIVATE KEY', base64(keyPem), keyBody, keyBody.slice(0, 40)];
}

function expectNoKeyMaterial(text: string) {
  for (const forbidden of forbiddenStrings()) {
    expect(text).not.toContain(forbidden);
  }
}

/** A result's identity in ReportChanges, in the fixture's aggregator namespace. */
function ref(ruleId: string, kind: string, name: string) {
  return {
    ruleId,
    resource: { cluster: 'aggregator-cluster', kind, namespace: AGG_NS, name },
  };
}

describe('fl-security backend plugin', () => {
  let api: FakeKubeApi;

  beforeAll(async () => {
    await loadClientNode();
    api = await new FakeKubeApi({
      token: TOKEN,
      objects: [
        ...federationObjects(),
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: 'fl-other',
            ...binding('component:default/fl-other', 'fl-other'),
          },
        },
      ],
      crdGroups: ['cert-manager.io'],
      tls: serverCert,
    }).start();
  });
  afterAll(() => api.stop());

  interface BackendOptions {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    /** A policy per permission name (instead of one answer for all). */
    policy?: (permission: string) => 'allow' | 'deny' | 'owner';
    /** flSecurity.scans; the default lets refreshes follow each other. */
    scans?: object;
    /** Run the scheduled scan at start-up (default true). */
    scanOnStartup?: boolean;
    auditor?: ReturnType<typeof mockServices.auditor.mock>;
  }

  async function startBackend(options: BackendOptions = {}) {
    const { server } = await startTestBackend({
      features: [
        flSecurityPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'aggregator-cluster',
                      url: api.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: TOKEN,
                      caData: base64(serverCert.caPem),
                    },
                  ],
                },
              ],
            },
            flSecurity: {
              schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
              reader: { clusterTimeout: { seconds: 10 } },
              scans: options.scans ?? { minInterval: { milliseconds: 1 } },
            },
          },
        }),
        catalogServiceMock.factory({ entities: ENTITIES }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        options.policy
          ? permissionsWith(options.policy).factory
          : mockServices.permissions.factory({
              result: options.permission ?? AuthorizeResult.ALLOW,
            }),
        ...(options.auditor ? [options.auditor.factory] : []),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: options.scanOnStartup ?? true,
          skipTaskRunOnStartup: !(options.scanOnStartup ?? true),
        }),
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
      ],
    });
    return server;
  }

  const routes: Array<[string, string]> = [
    ['get', '/api/fl-security/v1/reports'],
    ['get', '/api/fl-security/v1/reports/component/default/fl-demo'],
    ['post', '/api/fl-security/v1/reports/component/default/fl-demo/refresh'],
  ];
  const entityRoutes = routes.slice(1);

  it.each(routes)(
    '%s %s answers 401 without credentials',
    async (method, path) => {
      const server = await startBackend();
      const response = await (request(server) as any)[method](path);
      expect(response.status).toBe(401);
    },
  );

  it.each(entityRoutes)(
    '%s %s answers 403 without the read permission, and audits it',
    async (method, path) => {
      const auditor = recordingAuditor();
      const server = await startBackend({
        permission: AuthorizeResult.DENY,
        auditor: auditor.mock,
      });
      const response = await (request(server) as any)
        [method](path)
        .set('authorization', mockCredentials.user.header());
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        'missing permission fl-security.report.read on component:default/fl-demo',
      );
      expect(auditor.events).toContainEqual({
        eventId: 'report-access',
        meta: {
          permission: 'fl-security.report.read',
          entityRef: 'component:default/fl-demo',
        },
        outcome: expect.stringMatching(/^fail: missing permission/),
      });
    },
  );

  it('lists no entity in the fleet for a caller without the read permission', async () => {
    const server = await startBackend({ permission: AuthorizeResult.DENY });
    const response = await request(server)
      .get('/api/fl-security/v1/reports')
      .set('authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
  });

  it('needs fl-security.report.refresh to scan, read alone serves stored reports', async () => {
    const server = await startBackend({
      policy: permission =>
        permission === 'fl-security.report.read' ? 'allow' : 'deny',
    });
    const before = api.requests.length;
    const as = (req: request.Test) =>
      req.set('authorization', mockCredentials.user.header());
    const refresh = await as(
      request(server).post(
        '/api/fl-security/v1/reports/component/default/fl-demo/refresh',
      ),
    );
    expect(refresh.status).toBe(403);
    expect(refresh.body.error.message).toBe(
      'missing permission fl-security.report.refresh on component:default/fl-demo',
    );
    const viaQuery = await as(
      request(server).get(
        '/api/fl-security/v1/reports/component/default/fl-demo?refresh=true',
      ),
    );
    expect(viaQuery.status).toBe(403);
    expect(api.requests.length).toBe(before);
    // The scheduled scan's report is served.
    const stored = await as(
      request(server).get(
        '/api/fl-security/v1/reports/component/default/fl-demo',
      ),
    );
    expect(stored.status).toBe(200);
  });

  it('does not scan on first view for a caller who may only read', async () => {
    const server = await startBackend({
      scanOnStartup: false,
      policy: permission =>
        permission === 'fl-security.report.read' ? 'allow' : 'deny',
    });
    const before = api.requests.length;
    const response = await request(server)
      .get('/api/fl-security/v1/reports/component/default/fl-demo')
      .set('authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entityRef: 'component:default/fl-demo',
      overall: 'unknown',
      notScanned: true,
      message:
        'component:default/fl-demo has not been scanned yet; the scheduled scan will report it',
      history: [],
    });
    expect(api.requests.length).toBe(before);
  });

  it('answers what changed since the previous stored report', async () => {
    const server = await startBackend();
    const refresh = async () => {
      const response = await request(server)
        .post('/api/fl-security/v1/reports/component/default/fl-demo/refresh')
        .set('authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      return response.body as EntityReportResponse;
    };
    const allowAll = ref('NET-03', 'NetworkPolicy', 'allow-all');
    const index = api.objects.findIndex(
      o => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-all',
    );
    const [removed] = api.objects.splice(index, 1);
    try {
      // The leftover allow-all policy is gone: no longer reported.
      const without = await refresh();
      expect(without.changes?.previousGeneratedAt).toBe(
        without.history[1].generatedAt,
      );
      expect(without.changes?.newFailures).toEqual([]);
      expect(without.changes?.changed).toContainEqual({
        ...allowAll,
        from: 'fail',
      });
      expect(without.report.results).not.toContainEqual(
        expect.objectContaining(allowAll),
      );
    } finally {
      api.objects.push(removed);
    }
    // Back: a new failure.
    const back = await refresh();
    expect(back.changes?.newFailures).toContainEqual(allowAll);
    expect(back.changes?.fixed).toEqual([]);
    // Served from the store: the same comparison.
    const stored = await request(server)
      .get('/api/fl-security/v1/reports/component/default/fl-demo')
      .set('authorization', mockCredentials.user.header());
    expect(stored.body.changes).toEqual(back.changes);
    // Nothing changed on the next scan.
    const again = await refresh();
    expect(again.changes).toEqual({
      previousGeneratedAt: back.report.generatedAt,
      newFailures: [],
      fixed: [],
      changed: [],
    });
  });

  it("gives owners their entity and 403 on another team's, on every entity route", async () => {
    const server = await startBackend({ policy: () => 'owner' });
    const as = (req: request.Test) =>
      req.set('authorization', mockCredentials.user.header());
    const own = await as(
      request(server).get(
        '/api/fl-security/v1/reports/component/default/fl-demo',
      ),
    );
    expect(own.status).toBe(200);
    const before = api.requests.length;
    for (const [method, path] of [
      ['get', '/api/fl-security/v1/reports/component/default/fl-other'],
      [
        'get',
        '/api/fl-security/v1/reports/component/default/fl-other?refresh=true',
      ],
      [
        'post',
        '/api/fl-security/v1/reports/component/default/fl-other/refresh',
      ],
    ] as const) {
      const response = await as((request(server) as any)[method](path));
      expect(response.status).toBe(403);
    }
    expect(api.requests.length).toBe(before);
    const fleet = await as(request(server).get('/api/fl-security/v1/reports'));
    expect(fleet.status).toBe(200);
    expect(fleet.body.items.map((i: FleetEntry) => i.entityRef)).toEqual([
      'component:default/bad',
      'component:default/fl-demo',
    ]);
  });

  it('scans FL entities on schedule and serves the stored report', async () => {
    const server = await startBackend();
    const scanRequests = api.requests.length;
    const response = await request(server)
      .get('/api/fl-security/v1/reports/component/default/fl-demo')
      .set('authorization', mockCredentials.service.header());
    expect(response.status).toBe(200);
    const body = response.body as EntityReportResponse;
    expect(body.entityRef).toBe('component:default/fl-demo');
    expect(body.report.federation).toBe('fl-demo');
    expect(body.history).toHaveLength(1);
    // Evaluated by the engine from what the cluster holds.
    expect(body.report.results.length).toBeGreaterThan(10);
    expect(
      body.report.results.every(
        r => r.resource.cluster === 'aggregator-cluster',
      ),
    ).toBe(true);
    expect(body.report.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ruleId: 'NET-03',
          status: 'fail',
          resource: expect.objectContaining({
            kind: 'NetworkPolicy',
            name: 'allow-all',
          }),
        }),
      ]),
    );
    // Certificate metadata only.
    const leaf = body.report.certificates.find(c => c.chainIndex === 0)!;
    expect(leaf).toEqual(
      expect.objectContaining({
        subject: 'CN=fl-demo-aggregator',
        keyType: 'ec',
        source: {
          cluster: 'aggregator-cluster',
          kind: 'Secret',
          namespace: AGG_NS,
          name: 'fl-demo-aggregator-tls',
        },
      }),
    );
    expect(Object.keys(leaf).sort()).toEqual(
      [
        'chainIndex',
        'curve',
        'daysLeft',
        'dnsNames',
        'fingerprintSha256',
        'ipAddresses',
        'isCA',
        'issuer',
        'keySize',
        'keyType',
        'notAfter',
        'notBefore',
        'serialNumber',
        'signatureAlgorithm',
        'source',
        'subject',
      ].sort(),
    );
    // Served from the database: no cluster was read for this request.
    expect(api.requests.length).toBe(scanRequests);
    expectNoKeyMaterial(response.text);
  });

  it('forces a fresh report on refresh and keeps the history', async () => {
    const server = await startBackend();
    const before = api.requests.length;
    const refreshed = await request(server)
      .post('/api/fl-security/v1/reports/component/default/fl-demo/refresh')
      .set('authorization', mockCredentials.user.header());
    expect(refreshed.status).toBe(200);
    expect(api.requests.length).toBeGreaterThan(before);
    expect((refreshed.body as EntityReportResponse).history).toHaveLength(2);
    expectNoKeyMaterial(refreshed.text);

    const viaQuery = await request(server)
      .get('/api/fl-security/v1/reports/component/default/fl-demo?refresh=true')
      .set('authorization', mockCredentials.user.header());
    expect(viaQuery.status).toBe(200);
    expect((viaQuery.body as EntityReportResponse).history).toHaveLength(3);
    expectNoKeyMaterial(viaQuery.text);
  });

  it('lists the fleet of FL entities only', async () => {
    const server = await startBackend();
    const response = await request(server)
      .get('/api/fl-security/v1/reports')
      .set('authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    const { items, nextCursor } = response.body as FleetResponse;
    expect(items.map(i => i.entityRef)).toEqual([
      'component:default/bad',
      'component:default/fl-demo',
      'component:default/fl-other',
    ]);
    expect(nextCursor).toBeUndefined();
    const demo = items.find(i => i.entityRef === 'component:default/fl-demo')!;
    expect(demo).toEqual(
      expect.objectContaining({
        title: 'FL demo',
        federation: 'fl-demo',
        generatedAt: expect.any(String),
        summary: expect.any(Object),
        overall: 'violations',
        soonestExpiry: expect.objectContaining({
          subject: 'CN=fl-demo-aggregator',
        }),
        trend: [
          expect.objectContaining({
            generatedAt: demo.generatedAt,
            overall: 'violations',
            summary: demo.summary,
          }),
        ],
      }),
    );
    // The entity with an invalid annotation has a stored report (its error).
    expect(items.find(i => i.entityRef === 'component:default/bad')).toEqual(
      expect.objectContaining({ trend: [expect.any(Object)] }),
    );
    expectNoKeyMaterial(response.text);
  });

  it('pages the fleet with limit and cursor', async () => {
    const server = await startBackend();
    const page = (query: string) =>
      request(server)
        .get(`/api/fl-security/v1/reports${query}`)
        .set('authorization', mockCredentials.user.header());
    const first = await page('?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: FleetEntry) => i.entityRef)).toEqual([
      'component:default/bad',
      'component:default/fl-demo',
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await page(
      `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(second.body).toEqual({
      items: [
        expect.objectContaining({ entityRef: 'component:default/fl-other' }),
      ],
    });
    for (const bad of ['?limit=0', '?limit=201', '?limit=2x', '?cursor=']) {
      expect((await page(bad)).status).toBe(400);
    }
  });

  it('refuses a refresh inside the minimum interval without reading the cluster', async () => {
    const auditor = recordingAuditor();
    const server = await startBackend({
      scans: { minInterval: { minutes: 10 } },
      auditor: auditor.mock,
    });
    const before = api.requests.length;
    for (let i = 0; i < 5; i++) {
      const refused = await request(server)
        .post('/api/fl-security/v1/reports/component/default/fl-demo/refresh')
        .set('authorization', mockCredentials.user.header());
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);
      expect(refused.body.error).toEqual({
        name: 'TooManyRequestsError',
        message: expect.stringMatching(
          /^component:default\/fl-demo was scanned \d+ s ago; scans of one entity are at least 600 s apart \(flSecurity.scans.minInterval\)/,
        ),
      });
    }
    expect(api.requests.length).toBe(before);
    expect(
      auditor.events.filter(e => e.eventId === 'report-scan').slice(-1)[0],
    ).toEqual({
      eventId: 'report-scan',
      meta: { entityRef: 'component:default/fl-demo', trigger: 'refresh' },
      outcome: expect.stringMatching(
        /^fail: component:default\/fl-demo was scanned/,
      ),
    });
  });

  it('limits the scans one user starts, not other users', async () => {
    const server = await startBackend({
      scanOnStartup: false,
      scans: { minInterval: { milliseconds: 1 }, perUser: { limit: 1 } },
    });
    const refresh = (name: string, user: string) =>
      request(server)
        .post(`/api/fl-security/v1/reports/component/default/${name}/refresh`)
        .set('authorization', mockCredentials.user.header(user));
    expect((await refresh('fl-demo', 'user:default/a')).status).toBe(200);
    const second = await refresh('fl-other', 'user:default/a');
    expect(second.status).toBe(429);
    expect(second.body.error.message).toMatch(
      /^user:default\/a started 1 scans within 600 s \(flSecurity.scans.perUser\)/,
    );
    expect((await refresh('fl-other', 'user:default/b')).status).toBe(200);
  });

  it('reports an invalid annotation instead of reading clusters', async () => {
    const server = await startBackend();
    const response = await request(server)
      .get('/api/fl-security/v1/reports/component/default/bad')
      .set('authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    const body = response.body as EntityReportResponse;
    expect(body.overall).toBe('unknown');
    expect(body.report.results).toEqual([]);
    expect(body.report.errors).toEqual([
      {
        cluster: '-',
        message:
          'annotation backstage.io/kubernetes-namespace must be a namespace name, got "Not A Namespace"',
      },
    ]);
  });

  it('answers 404 for unknown and non-FL entities, 400 for bad refs', async () => {
    const server = await startBackend();
    const get = (path: string) =>
      request(server)
        .get(`/api/fl-security/v1/reports/${path}`)
        .set('authorization', mockCredentials.user.header());
    expect((await get('component/default/nope')).status).toBe(404);
    const web = await get('component/default/web');
    expect(web.status).toBe(404);
    expect(web.body.error.message).toBe(
      'component:default/web is not a federated-learning entity',
    );
    expect((await get('component/default/bad%20name')).status).toBe(400);
  });
});
