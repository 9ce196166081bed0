import { startTestCluster, TestCluster } from './cluster';
import { applyManifests } from './apply';
import { createNamespaces, generatedManifests, problems } from './__testUtils__/generatedProjects';

// TLSRoute v1alpha2 is served only by the Gateway API experimental channel
// (standard serves v1), so this variant gets a cluster with that channel.
jest.setTimeout(180_000);

describe('generated manifests for Gateway API experimental-channel clusters', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ crds: { gatewayApi: 'experimental', istio: false, vaultSecretsOperator: false } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('accepts every object of a federation with a v1alpha2 TLSRoute', async () => {
    const { docs, objectCount } = generatedManifests({
      name: 'existing',
      participants: [{ name: 'x' }],
      tls: { provider: 'cert-manager-issuer', issuer: { kind: 'ClusterIssuer', name: 'corp-ca' } },
      network: {
        exposure: 'gateway-api',
        externalHost: 'fl.corp.example',
        gateway: { name: 'edge', namespace: 'infra', dataPlaneNamespace: 'envoy-gateway-system', tlsRouteVersion: 'v1alpha2' },
      },
    });
    expect(docs.some(doc => doc.apiVersion === 'gateway.networking.k8s.io/v1alpha2' && doc.kind === 'TLSRoute')).toBe(true);
    await createNamespaces(cluster, docs);
    const results = await applyManifests(cluster, docs, { dryRun: true, fieldValidation: 'Strict' });
    // Honest signal for users: upstream deprecates v1alpha2 in favour of v1.
    const deprecation = /v1alpha2 version of TLSRoute has been deprecated/;
    expect(results.flatMap(r => r.warnings)).toEqual([expect.stringMatching(deprecation)]);
    expect(problems(results, deprecation)).toBe('');
    expect(results).toHaveLength(objectCount);
  });
});
