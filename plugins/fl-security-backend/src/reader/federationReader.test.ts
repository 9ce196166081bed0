import { createServer, Server } from 'node:net';
import { ClusterSpec } from '../config/clusters';
import { loadClientNode } from '../kube/clientNode';
import { base64, createTestCertificate } from '../__testUtils__/certs';
import { FakeKubeApi } from '../__testUtils__/fakeKubeApi';
import {
  AGG_NS,
  federationObjects,
  OWNER,
  SITE_NS,
} from '../__testUtils__/federationFixture';
import { FederationReader } from './federationReader';

const TOKEN = 'fed-token-abcdef';
const serverCert = createTestCertificate({
  commonName: 'kube-apiserver',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
});
const target = {
  labelSelector: 'backstage.io/kubernetes-id=fl-demo',
  namespaces: [AGG_NS, SITE_NS],
  owner: OWNER,
};

function spec(name: string, url: string, extra: object = {}): ClusterSpec {
  return {
    name,
    source: {
      type: 'serviceAccount',
      url,
      token: TOKEN,
      caData: base64(serverCert.caPem),
      skipTLSVerify: false,
      ...extra,
    },
  };
}

describe('FederationReader', () => {
  const servers: Array<{ stop(): Promise<void> }> = [];
  beforeAll(() => loadClientNode(), 60_000);
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.stop()));
  });

  async function fakeCluster(options: { delayMs?: number } = {}) {
    const api = await new FakeKubeApi({
      token: TOKEN,
      objects: federationObjects(),
      crdGroups: ['cert-manager.io'],
      tls: serverCert,
      ...options,
    }).start();
    servers.push(api);
    return api;
  }

  /** A port that accepts connections and never answers (a hung API server). */
  async function silentServer(): Promise<string> {
    const server: Server = createServer(() => {});
    const sockets = new Set<import('node:net').Socket>();
    server.on('connection', s => sockets.add(s));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    servers.push({
      stop: () =>
        new Promise<void>(resolve => {
          sockets.forEach(s => s.destroy());
          server.close(() => resolve());
        }),
    });
    const { port } = server.address() as { port: number };
    return `https://127.0.0.1:${port}`;
  }

  it('reads clusters in parallel and returns a partial result when one is slow', async () => {
    const fast = await fakeCluster();
    const slow = await fakeCluster({ delayMs: 5_000 });
    const reader = new FederationReader(
      [spec('aggregator-cluster', fast.url), spec('site-cluster', slow.url)],
      { clusterTimeoutMs: 2_000, concurrency: 4 },
    );
    const started = Date.now();
    const result = await reader.read(target);
    const elapsed = Date.now() - started;

    expect(elapsed).toBeLessThan(3_500);
    expect(result.snapshots.map(s => s.cluster)).toEqual([
      'aggregator-cluster',
    ]);
    expect(result.snapshots[0].objects.length).toBeGreaterThan(5);
    expect(result.errors).toEqual([
      {
        cluster: 'site-cluster',
        message: 'timed out after 2s reading the cluster',
      },
    ]);
  });

  it('times out a server that accepts connections and never answers', async () => {
    const url = await silentServer();
    const reader = new FederationReader([spec('hung', url)], {
      clusterTimeoutMs: 500,
      concurrency: 2,
    });
    const started = Date.now();
    const result = await reader.read(target);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.snapshots).toEqual([]);
    expect(result.errors).toEqual([
      { cluster: 'hung', message: 'timed out after 0.5s reading the cluster' },
    ]);
  });

  it('reports an unreachable cluster as an error, not a failure of the read', async () => {
    const api = await fakeCluster();
    const closed = await silentServer();
    await servers.pop()!.stop(); // nothing listens there any more
    const reader = new FederationReader(
      [spec('up', api.url), spec('down', closed)],
      { clusterTimeoutMs: 5_000, concurrency: 4 },
    );
    const result = await reader.read(target);
    expect(result.snapshots.map(s => s.cluster)).toEqual(['up']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].cluster).toBe('down');
    expect(result.errors[0].message).toMatch(/ECONNREFUSED/);
  });

  it('refuses a server whose certificate the configured CA did not sign', async () => {
    const api = await fakeCluster();
    const otherCa = createTestCertificate({ commonName: 'x', dnsNames: ['x'] });
    const reader = new FederationReader(
      [spec('mitm', api.url, { caData: base64(otherCa.caPem) })],
      { clusterTimeoutMs: 5_000, concurrency: 4 },
    );
    const result = await reader.read(target);
    expect(result.snapshots).toEqual([]);
    expect(result.errors[0].message).toMatch(/certificate/i);
  });

  it('reports misconfigured and unknown clusters', async () => {
    const reader = new FederationReader(
      [{ name: 'gke-prod', error: "auth provider 'google' is not supported" }],
      { clusterTimeoutMs: 1_000, concurrency: 2 },
    );
    expect((await reader.read(target)).errors).toEqual([
      {
        cluster: 'gke-prod',
        message: "auth provider 'google' is not supported",
      },
    ]);
    expect(
      (await reader.read({ ...target, cluster: 'nowhere' })).errors,
    ).toEqual([
      {
        cluster: 'nowhere',
        message:
          "cluster 'nowhere' (backstage.io/kubernetes-cluster) is not configured",
      },
    ]);
  });

  it('reads only the annotated cluster', async () => {
    const a = await fakeCluster();
    const b = await fakeCluster();
    const reader = new FederationReader([spec('a', a.url), spec('b', b.url)], {
      clusterTimeoutMs: 5_000,
      concurrency: 4,
    });
    const result = await reader.read({ ...target, cluster: 'b' });
    expect(result.snapshots.map(s => s.cluster)).toEqual(['b']);
    expect(a.requests).toEqual([]);
    expect(result.sensitiveValues.length).toBeGreaterThan(0);
  });

  it('reads the clusters an entity names, with the namespaces of each; an unknown name is an error, never another cluster', async () => {
    const hub = await fakeCluster();
    const site = await fakeCluster();
    const other = await fakeCluster();
    const reader = new FederationReader(
      [spec('hub', hub.url), spec('site', site.url), spec('other', other.url)],
      { clusterTimeoutMs: 5_000, concurrency: 4 },
    );
    const result = await reader.read({
      labelSelector: target.labelSelector,
      owner: OWNER,
      clusters: ['hub', 'site', 'typo'],
      clusterNamespaces: { hub: [AGG_NS], site: [SITE_NS] },
    });
    expect(result.snapshots.map(s => s.cluster).sort()).toEqual(['hub', 'site']);
    expect(other.requests).toEqual([]);
    expect(result.errors).toEqual([
      {
        cluster: 'typo',
        message:
          "cluster 'typo' (named by the entity's fl-security/clusters or fl-security/namespaces) is not configured in the portal: nothing was read there",
      },
    ]);
    // Each cluster read only its own namespaces.
    const read = (cluster: string) =>
      result.scope.filter(e => e.cluster === cluster).map(e => e.namespace);
    expect(read('hub')).toEqual([AGG_NS]);
    expect(read('site')).toEqual([SITE_NS]);
    const namespaced = (api: FakeKubeApi, ns: string) =>
      api.requests.some(r => r.path.includes(`/namespaces/${ns}/`));
    expect(namespaced(hub, SITE_NS)).toBe(false);
    expect(namespaced(site, AGG_NS)).toBe(false);
  });
});
