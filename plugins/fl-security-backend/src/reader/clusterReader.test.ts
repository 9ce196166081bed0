import { loadClientNode } from '../kube/clientNode';
import { connectCluster, KubeConnection } from '../kube/connection';
import { base64, createTestCertificate } from '../__testUtils__/certs';
import { FakeKubeApi, FakeKubeApiOptions } from '../__testUtils__/fakeKubeApi';
import {
  AGG_NS,
  aggregatorCertificate,
  CA_BUNDLE,
  federationObjects,
  INGRESS_SECRET,
  NODE_KEY_SECRET,
  OWNER,
  SITE_NS,
  TLS_SECRET,
  UNRELATED_SECRET,
} from '../__testUtils__/federationFixture';
import { ClusterReader, ReadTarget } from './clusterReader';

const TOKEN = 'test-token-0123456789';
const ALL_CRDS = [
  'cert-manager.io',
  'gateway.networking.k8s.io',
  'security.istio.io',
  'networking.istio.io',
];
const target: ReadTarget = {
  labelSelector: 'backstage.io/kubernetes-id=fl-demo',
  namespaces: [AGG_NS, SITE_NS],
  owner: OWNER,
};

const serverCert = createTestCertificate({
  commonName: 'kube-apiserver',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
});

describe('ClusterReader', () => {
  let api: FakeKubeApi;
  let connection: KubeConnection;

  async function start(options: Partial<FakeKubeApiOptions> = {}) {
    api = await new FakeKubeApi({
      token: TOKEN,
      objects: federationObjects(),
      crdGroups: ALL_CRDS,
      tls: serverCert,
      ...options,
    }).start();
    connection = await connectCluster('aggregator-cluster', {
      type: 'serviceAccount',
      url: api.url,
      token: TOKEN,
      caData: base64(serverCert.caPem),
      skipTLSVerify: false,
    });
  }

  const read = (t: ReadTarget = target) =>
    new ClusterReader(connection, new AbortController().signal, 4).read(t);

  // Loading the ESM client (transformed for jest) takes a few seconds once.
  beforeAll(() => loadClientNode(), 60_000);

  afterEach(async () => {
    connection?.close();
    await api?.stop();
  });

  it('reads every kind over verified TLS with the bearer token', async () => {
    await start();
    const { snapshot, sensitiveValues } = await read();

    expect(snapshot.cluster).toBe('aggregator-cluster');
    // The CA key Secret of the ClusterIssuer is skipped by design.
    expect(snapshot.gaps).toEqual([
      expect.objectContaining({
        kind: 'Secret',
        namespace: 'cert-manager',
        name: 'fl-demo-ca',
        status: 'skip',
      }),
    ]);
    const names = snapshot.objects
      .map(
        o =>
          `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? '-'}/${
            o.metadata.name
          }`,
      )
      .sort();
    expect(names).toEqual(
      [
        `apps/v1 Deployment ${AGG_NS}/fl-demo-aggregator`,
        `apps/v1 Deployment ${SITE_NS}/fl-demo-site-a`,
        `cert-manager.io/v1 Certificate ${AGG_NS}/fl-demo-aggregator`,
        `cert-manager.io/v1 ClusterIssuer -/fl-demo-ca`,
        `networking.k8s.io/v1 Ingress ${AGG_NS}/fl-demo-aggregator`,
        `networking.k8s.io/v1 NetworkPolicy ${AGG_NS}/allow-all`,
        `networking.k8s.io/v1 NetworkPolicy ${AGG_NS}/default-deny`,
        `v1 ConfigMap ${SITE_NS}/${CA_BUNDLE}`,
        `v1 Namespace -/${AGG_NS}`,
        `v1 Namespace -/${SITE_NS}`,
        `v1 Pod ${AGG_NS}/fl-demo-aggregator-7d9f`,
        `v1 Secret ${AGG_NS}/${INGRESS_SECRET}`,
        `v1 Secret ${AGG_NS}/${TLS_SECRET}`,
        `v1 Service ${AGG_NS}/fl-demo-aggregator`,
      ].sort(),
    );

    // The engine gets the key in memory to check it matches the certificate.
    const secret = snapshot.objects.find(o => o.metadata.name === TLS_SECRET)!;
    expect((secret.data as any)['tls.key']).toBe(
      base64(aggregatorCertificate().keyPem),
    );
    // ...but not kubectl's copy of it, nor bookkeeping.
    expect(secret.metadata.annotations).toEqual({});
    expect(secret.metadata.managedFields).toBeUndefined();
    expect(sensitiveValues).toContain(base64(aggregatorCertificate().keyPem));
    expect(sensitiveValues).not.toContain(
      base64(aggregatorCertificate().certPem),
    );
  });

  it('never lists secrets and gets only the referenced TLS secrets', async () => {
    await start();
    await read();
    const secretRequests = api.requests.filter(r =>
      r.path.includes('/secrets'),
    );
    expect(secretRequests.map(r => `${r.method} ${r.path}`).sort()).toEqual(
      [
        `GET /api/v1/namespaces/${AGG_NS}/secrets/${INGRESS_SECRET}`,
        `GET /api/v1/namespaces/${AGG_NS}/secrets/${TLS_SECRET}`,
      ].sort(),
    );
    expect(api.requests.some(r => r.path.endsWith(UNRELATED_SECRET))).toBe(
      false,
    );
    // The participant's node-authentication key is mounted but not TLS.
    expect(api.requests.some(r => r.path.endsWith(NODE_KEY_SECRET))).toBe(
      false,
    );
  });

  it('label-selects workloads and config maps, reads exposure kinds whole', async () => {
    await start();
    await read();
    const selectorOf = (plural: string) => {
      const list = api.requests.find(r =>
        r.path.endsWith(`/namespaces/${AGG_NS}/${plural}`),
      );
      expect(list).toBeDefined();
      return list!.query.labelSelector;
    };
    expect(selectorOf('pods')).toBe(target.labelSelector);
    expect(selectorOf('deployments')).toBe(target.labelSelector);
    expect(selectorOf('configmaps')).toBe(target.labelSelector);
    expect(selectorOf('networkpolicies')).toBeUndefined();
    expect(selectorOf('services')).toBeUndefined();
    expect(selectorOf('ingresses')).toBeUndefined();
  });

  it('turns missing CRDs into one skip per kind, with the reason', async () => {
    await start({ crdGroups: [] });
    const { snapshot } = await read();
    const skipped = snapshot.gaps.map(g => `${g.status} ${g.kind}`).sort();
    expect(skipped).toEqual([
      'skip Certificate',
      'skip DestinationRule',
      'skip Gateway',
      'skip Issuer',
      'skip PeerAuthentication',
      'skip TLSRoute',
    ]);
    const certificateGap = snapshot.gaps.find(g => g.kind === 'Certificate')!;
    expect(certificateGap.reason).toMatch(
      /Certificate \(cert-manager\.io v1\) is not installed in cluster aggregator-cluster/,
    );
    // Without cert-manager the serving Secret is still found: the SuperLink
    // mounts it where --ssl-certfile points.
    expect(
      snapshot.objects
        .filter(o => o.kind === 'Secret')
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual([TLS_SECRET, INGRESS_SECRET].sort());
  });

  it('turns a 403 into an error gap naming the missing permission', async () => {
    await start({
      forbidden: [`list networkpolicies ${AGG_NS}`, `get secrets ${AGG_NS}`],
    });
    const { snapshot, sensitiveValues } = await read();
    const gaps = snapshot.gaps.map(g => ({
      kind: g.kind,
      status: g.status,
      missingPermission: g.missingPermission,
    }));
    expect(gaps).toEqual(
      expect.arrayContaining([
        {
          kind: 'NetworkPolicy',
          status: 'error',
          missingPermission: `list networkpolicies in ${AGG_NS} (networking.k8s.io)`,
        },
        {
          kind: 'Secret',
          status: 'error',
          missingPermission: `get secrets/${TLS_SECRET} in ${AGG_NS}`,
        },
        {
          kind: 'Secret',
          status: 'error',
          missingPermission: `get secrets/${INGRESS_SECRET} in ${AGG_NS}`,
        },
      ]),
    );
    expect(snapshot.gaps.filter(g => g.status === 'error')).toHaveLength(3);
    expect(snapshot.gaps[0].reason).toMatch(/forbidden: .*cannot/);
    expect(snapshot.objects.some(o => o.kind === 'NetworkPolicy')).toBe(false);
    expect(sensitiveValues).toEqual([]);
  });

  it('follows list pagination', async () => {
    await start({ pageSize: 1 });
    const { snapshot } = await read();
    expect(
      snapshot.objects.filter(o => o.kind === 'NetworkPolicy'),
    ).toHaveLength(2);
    expect(
      api.requests.some(
        r =>
          r.path.endsWith(`/${AGG_NS}/networkpolicies`) &&
          r.query.continue === '1',
      ),
    ).toBe(true);
  });

  it('discovers the namespaces by label when none are annotated', async () => {
    await start();
    const { snapshot } = await read({
      labelSelector: target.labelSelector,
      owner: OWNER,
    });
    const namespaces = snapshot.objects
      .filter(o => o.kind === 'Namespace')
      .map(o => o.metadata.name);
    expect(namespaces.sort()).toEqual([AGG_NS, SITE_NS]);
    expect(snapshot.objects.some(o => o.metadata.namespace === 'other')).toBe(
      false,
    );
  });

  it('reports a forbidden namespace discovery as an error gap', async () => {
    await start({ forbidden: ['list namespaces'] });
    const { snapshot } = await read({
      labelSelector: target.labelSelector,
      owner: OWNER,
    });
    expect(snapshot.objects).toEqual([]);
    expect(snapshot.gaps).toEqual([
      expect.objectContaining({
        kind: 'Namespace',
        status: 'error',
        missingPermission: 'list namespaces',
      }),
    ]);
  });

  it('skips an annotated namespace that does not exist in the cluster', async () => {
    await start();
    const { snapshot, scope } = await read({
      ...target,
      namespaces: ['absent-here'],
    });
    expect(scope).toEqual([]);
    expect(snapshot).toEqual({
      cluster: 'aggregator-cluster',
      objects: [],
      gaps: [],
      // Only bound Namespaces are read: others may exist.
      partialNamespaces: true,
    });
    expect(api.requests.map(r => r.path)).toEqual([
      '/api/v1/namespaces/absent-here',
    ]);
  });

  it('fails the cluster when the credentials are rejected', async () => {
    await start({ token: 'another-token' });
    await expect(read()).rejects.toThrow(
      /rejected the credentials \(HTTP 401\)/,
    );
  });

  it('keeps at most the configured number of requests in flight', async () => {
    await start({ delayMs: 20 });
    let inFlight = 0;
    let peak = 0;
    const counting: KubeConnection = {
      cluster: connection.cluster,
      close: () => connection.close(),
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
    await new ClusterReader(counting, new AbortController().signal, 3).read(
      target,
    );
    expect(peak).toBe(3);
  });
});
