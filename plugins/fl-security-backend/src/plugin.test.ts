import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityReportResponse,
  FleetResponse,
} from '@fl-security/plugin-fl-security-common';
import request from 'supertest';
import { loadClientNode } from './kube/clientNode';
import { flSecurityPlugin } from './plugin';
import { base64, createTestCertificate } from './__testUtils__/certs';
import { FakeKubeApi } from './__testUtils__/fakeKubeApi';
import {
  AGG_NS,
  aggregatorCertificate,
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
};

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

describe('fl-security backend plugin', () => {
  let api: FakeKubeApi;

  beforeAll(async () => {
    await loadClientNode();
    api = await new FakeKubeApi({
      token: TOKEN,
      objects: federationObjects(),
      crdGroups: ['cert-manager.io'],
      tls: serverCert,
    }).start();
  });
  afterAll(() => api.stop());

  async function startBackend(
    options: { permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY } = {},
  ) {
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
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [flDemo, webApp, badAnnotation],
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.permissions.factory({
          result: options.permission ?? AuthorizeResult.ALLOW,
        }),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
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

  it.each(routes)(
    '%s %s answers 401 without credentials',
    async (method, path) => {
      const server = await startBackend();
      const response = await (request(server) as any)[method](path);
      expect(response.status).toBe(401);
    },
  );

  it.each(routes)(
    '%s %s answers 403 without the permission',
    async (method, path) => {
      const server = await startBackend({ permission: AuthorizeResult.DENY });
      const response = await (request(server) as any)
        [method](path)
        .set('authorization', mockCredentials.user.header());
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        'missing permission fl-security.report.read',
      );
    },
  );

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
    const { items } = response.body as FleetResponse;
    expect(items.map(i => i.entityRef)).toEqual([
      'component:default/bad',
      'component:default/fl-demo',
    ]);
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
      }),
    );
    expectNoKeyMaterial(response.text);
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
