/**
 * The read scope: only namespaces bound to the entity are read, whatever
 * its annotations ask for (the attacks of issue #13 against a fake API
 * server; the same against a real one in packages/demo-cluster).
 */
import { loadClientNode } from '../kube/clientNode';
import { connectCluster, KubeConnection } from '../kube/connection';
import { base64, createTestCertificate } from '../__testUtils__/certs';
import { FakeKubeApi, FakeObject } from '../__testUtils__/fakeKubeApi';
import {
  AGG_NS,
  binding,
  federationObjects,
  OWNER,
  SITE_NS,
} from '../__testUtils__/federationFixture';
import { ClusterReader, ReadTarget } from './clusterReader';
import { createLimiter } from './limit';
import { ScanBudget, UNLIMITED } from './scanBudget';

const TOKEN = 'scope-token-0123456789';
const serverCert = createTestCertificate({
  commonName: 'kube-apiserver',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
});

/** Another team's federation: same kinds, its own binding. */
const VICTIM_NS = 'team-b-fed';
const victimObjects: FakeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: VICTIM_NS,
      ...binding('component:team-b/fed-b', 'fed-b'),
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'kube-system', labels: { tier: 'control-plane' } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'victim-superlink',
      namespace: VICTIM_NS,
      labels: { 'backstage.io/kubernetes-id': 'fed-b' },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'victim-tls', namespace: VICTIM_NS },
    data: { 'tls.crt': base64('not a certificate') },
  },
];

describe('read scope', () => {
  let api: FakeKubeApi;
  let connection: KubeConnection;

  beforeAll(() => loadClientNode(), 60_000);

  async function start(objects: FakeObject[] = [], forbidden?: string[]) {
    api = await new FakeKubeApi({
      token: TOKEN,
      objects: [...federationObjects(), ...victimObjects, ...objects],
      crdGroups: ['cert-manager.io', 'gateway.networking.k8s.io'],
      tls: serverCert,
      forbidden,
    }).start();
    connection = await connectCluster('c1', {
      type: 'serviceAccount',
      url: api.url,
      token: TOKEN,
      caData: base64(serverCert.caPem),
      skipTLSVerify: false,
    });
  }

  afterEach(async () => {
    connection?.close();
    await api?.stop();
  });

  const read = (
    target: Partial<ReadTarget>,
    options: { mapped?: string[]; budget?: ScanBudget } = {},
  ) =>
    new ClusterReader(connection, new AbortController().signal, {
      limit: 4,
      mappedNamespaces: options.mapped,
      budget: options.budget,
    }).read({
      labelSelector: 'backstage.io/kubernetes-id=fl-demo',
      owner: OWNER,
      ...target,
    });

  /** Requests that touched a namespace other than the Namespace object itself. */
  const inside = (namespace: string) =>
    api.requests.filter(r => r.path.includes(`/namespaces/${namespace}/`));
  const namespaceGets = (namespace: string) =>
    api.requests.filter(r => r.path === `/api/v1/namespaces/${namespace}`);

  it('reads nothing in namespaces the annotations name but that are not bound', async () => {
    await start();
    const { snapshot, scope } = await read({
      namespaces: [AGG_NS, VICTIM_NS, 'kube-system', 'other'],
    });
    for (const foreign of [VICTIM_NS, 'kube-system', 'other']) {
      expect(inside(foreign)).toEqual([]);
      expect(namespaceGets(foreign)).toHaveLength(1);
      expect(
        snapshot.objects.filter(
          o => o.metadata.namespace === foreign || o.metadata.name === foreign,
        ),
      ).toEqual([]);
    }
    expect(scope).toEqual([
      expect.objectContaining({ namespace: AGG_NS, status: 'pass' }),
      {
        namespace: 'kube-system',
        status: 'skip',
        message:
          'Namespace kube-system is not bound to component:default/fl-demo: it carries no fl-security binding (label fl-security/federation and annotation fl-security/entity-ref). Nothing in it was read.',
      },
      expect.objectContaining({ namespace: 'other', status: 'skip' }),
      {
        namespace: VICTIM_NS,
        status: 'skip',
        message: `Namespace ${VICTIM_NS} is not bound to component:default/fl-demo: its label fl-security/federation names another federation than fl-demo. Nothing in it was read.`,
      },
    ]);
    // The other team's values never reach the snapshot or the reasons.
    expect(JSON.stringify({ snapshot, scope })).not.toMatch(
      /component:team-b|fed-b|control-plane/,
    );
  });

  it('does not read a namespace bound to another entity with the same kubernetes-id', async () => {
    await start();
    const { scope } = await read({
      owner: {
        entityRef: 'component:team-evil/fl-demo',
        federation: 'fl-demo',
      },
      namespaces: [AGG_NS, SITE_NS],
    });
    expect(scope.map(s => `${s.namespace} ${s.status}`)).toEqual([
      `${AGG_NS} skip`,
      `${SITE_NS} skip`,
    ]);
    expect(scope[0].message).toMatch(
      /names another entity than component:team-evil\/fl-demo/,
    );
    expect(inside(AGG_NS)).toEqual([]);
    expect(inside(SITE_NS)).toEqual([]);
  });

  it('discovers namespaces by the binding label, never by the entity selector', async () => {
    await start();
    const { snapshot } = await read({ labelSelector: 'x!=y' });
    const discovery = api.requests.filter(r => r.path === '/api/v1/namespaces');
    expect(discovery.map(r => r.query.labelSelector)).toEqual([
      'fl-security/federation=fl-demo',
    ]);
    expect(
      snapshot.objects
        .filter(o => o.kind === 'Namespace')
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual([AGG_NS, SITE_NS]);
    // The wide selector only widens within the bound namespaces.
    for (const foreign of [VICTIM_NS, 'kube-system', 'other']) {
      expect(inside(foreign)).toEqual([]);
      expect(namespaceGets(foreign)).toEqual([]);
    }
  });

  it('follows references only into bound namespaces', async () => {
    await start([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw', namespace: AGG_NS },
        spec: {
          listeners: [
            {
              tls: {
                certificateRefs: [{ name: 'victim-tls', namespace: VICTIM_NS }],
              },
            },
          ],
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1alpha2',
        kind: 'TLSRoute',
        metadata: { name: 'route', namespace: AGG_NS },
        spec: { parentRefs: [{ name: 'kube-gw', namespace: 'kube-system' }] },
      },
    ]);
    const { snapshot, scope } = await read({ namespaces: [AGG_NS] });
    expect(inside(VICTIM_NS)).toEqual([]);
    expect(inside('kube-system')).toEqual([]);
    expect(snapshot.gaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'Secret',
          namespace: VICTIM_NS,
          name: 'victim-tls',
          status: 'skip',
        }),
        expect.objectContaining({
          kind: 'Gateway',
          namespace: 'kube-system',
          name: 'kube-gw',
          status: 'skip',
        }),
      ]),
    );
    expect(scope.find(s => s.namespace === VICTIM_NS)?.message).toMatch(
      /\(Secret team-b-fed\/victim-tls is there\)/,
    );
  });

  it('reads nothing in a namespace whose binding it cannot verify', async () => {
    await start([], [`get namespaces`]);
    const { snapshot, scope } = await read({ namespaces: [AGG_NS] });
    expect(inside(AGG_NS)).toEqual([]);
    expect(scope).toEqual([
      {
        namespace: AGG_NS,
        status: 'error',
        message: `Namespace ${AGG_NS}: its binding to component:default/fl-demo could not be verified (missing permission: get namespaces/${AGG_NS}); nothing in it was read.`,
      },
    ]);
    expect(snapshot.gaps).toEqual([
      expect.objectContaining({ kind: 'Namespace', status: 'error' }),
    ]);
  });

  it('reads a namespace an administrator mapped to the entity', async () => {
    await start();
    const { scope } = await read(
      { namespaces: ['other'] },
      { mapped: ['other'] },
    );
    expect(scope).toEqual([
      {
        namespace: 'other',
        status: 'pass',
        message:
          'Namespace other is mapped to component:default/fl-demo by flSecurity.namespaceBindings.',
      },
    ]);
    expect(inside('other').length).toBeGreaterThan(0);
  });

  it.each([
    ['maxPages', { maxPages: 5 }, /more than 5 API responses .*maxPages/],
    ['maxObjects', { maxObjects: 3 }, /more than 3 objects .*maxObjects/],
    ['maxBytes', { maxBytes: 4096 }, /more than 4,096 bytes .*maxBytes/],
  ])('stops a read that exceeds %s', async (_key, limits, message) => {
    await start();
    const budget = new ScanBudget({ ...UNLIMITED, ...limits });
    await expect(
      read({ namespaces: [AGG_NS, SITE_NS] }, { budget }),
    ).rejects.toThrow(message);
  });

  it('shares one request limit between reads of the same cluster', async () => {
    await start();
    let inFlight = 0;
    let peak = 0;
    const counting: KubeConnection = {
      cluster: connection.cluster,
      close: () => {},
      request: async request => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await connection.request(request);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const limit = createLimiter(3);
    await Promise.all(
      Array.from({ length: 5 }, () =>
        new ClusterReader(counting, new AbortController().signal, {
          limit,
        }).read({
          labelSelector: 'backstage.io/kubernetes-id=fl-demo',
          namespaces: [AGG_NS, SITE_NS],
          owner: OWNER,
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});
