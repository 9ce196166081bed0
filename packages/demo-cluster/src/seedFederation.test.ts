import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { kubeRequest, startTestCluster, TestCluster } from '@fl-security/test-cluster';
import { seedFederation, SeededFederation } from './seedFederation';

const exampleSpec = parse(
  fs.readFileSync(path.resolve(__dirname, '../../../examples/federation.yaml'), 'utf8'),
);

describe('seedFederation', () => {
  jest.setTimeout(180_000);
  let cluster: TestCluster;
  let seeded: SeededFederation;

  beforeAll(async () => {
    cluster = await startTestCluster({ name: 'seed-test' });
    seeded = await seedFederation(cluster, exampleSpec);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('issues every certificate of the cert-manager CA chain', () => {
    expect(seeded.certificates.notIssued).toEqual([]);
    const names = seeded.certificates.issued.map(c => `${c.namespace}/${c.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'cert-manager/demo-federation-ca',
        'demo-federation-aggregator/superlink-tls',
        'demo-federation-hospital-a/supernode-tls',
      ]),
    );
  });

  it('gives the portal token exactly the generated read access', async () => {
    const get = (p: string) =>
      kubeRequest(cluster, { path: p, token: seeded.portalToken });
    const ns = 'demo-federation-aggregator';
    expect((await get(`/api/v1/namespaces/${ns}/pods`)).status).toBe(200);
    expect((await get(`/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`)).status).toBe(200);
    expect((await get(`/api/v1/namespaces/${ns}/secrets/superlink-tls`)).status).toBe(200);
    // Secrets only by name: no list, and no other Secret.
    expect((await get(`/api/v1/namespaces/${ns}/secrets`)).status).toBe(403);
    expect((await get('/api/v1/namespaces/kube-system/pods')).status).toBe(403);
  });

  it('issues only the certificates of the federation it seeds', async () => {
    const other = await seedFederation(cluster, {
      ...exampleSpec,
      name: 'second-federation',
      aggregator: { ...exampleSpec.aggregator, namespace: 'second-federation-aggregator' },
      participants: [{ name: 'site-x' }],
    });
    const names = other.certificates.issued.map(c => `${c.namespace}/${c.name}`).sort();
    expect(names).toEqual([
      'cert-manager/second-federation-ca',
      'second-federation-aggregator/superlink-tls',
      'second-federation-site-x/supernode-tls',
    ]);
  });
});
