import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  clusterBundleObjects,
  generateFromInput,
} from '@fl-security/plugin-fl-security-node';
import { applyManifests } from './apply';
import { startTestCluster, TestCluster } from './cluster';
import { createNamespaces, problems } from './__testUtils__/generatedProjects';

// A federation across clusters: every bundle (deploy/clusters/<cluster>/) is
// accepted by its own real API server, with the real schemas and the
// upstream CRDs (trust-manager's Bundle included), under Strict validation.
jest.setTimeout(600_000);

const exampleSpec = parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'examples', 'federation-cross-silo.yaml'), 'utf8'),
);

/** The example with a Gateway API entry and the Vault Secrets Operator in the aggregator's cluster. */
const gatewaySpec = {
  ...exampleSpec,
  name: 'silo-gw',
  tls: {
    provider: 'vault-pki-secret',
    vault: { server: 'https://vault.example.com:8200', role: 'fl-federation', authRole: 'fl-issuer' },
    caBundle: exampleSpec.tls.caBundle,
  },
  network: {
    exposure: 'gateway-api',
    externalHost: 'fl.example.org',
    gateway: { name: 'edge', namespace: 'gateway-system' },
    externalAddresses: ['198.51.100.0/28', '2001:db8::10/128'],
    externalPort: 8443,
  },
};

/** Parsed objects of each bundle, by cluster name. */
function bundles(input: unknown): Map<string, any[]> {
  const result = generateFromInput(input);
  if (!result.ok) throw new Error(`the spec is invalid: ${result.errors.join('; ')}`);
  const byCluster: Map<string, any[]> = clusterBundleObjects(result.files);
  const counted = [...byCluster.values()].reduce((sum, docs) => sum + docs.length, 0);
  expect(counted).toBe(result.objects.length);
  return byCluster;
}

const cases: [string, string, unknown][] = [
  ...[...bundles(exampleSpec).keys()].map(name => ['examples/federation-cross-silo.yaml', name, exampleSpec] as [string, string, unknown]),
  ...[...bundles(gatewaySpec).keys()].map(name => ['gateway-api + vault secrets operator', name, gatewaySpec] as [string, string, unknown]),
];

describe('bundles of a cross-silo federation, each on its own real API server', () => {
  it('covers the aggregator cluster and both site clusters of each spec', () => {
    expect(cases.map(([label, name]) => `${label}: ${name}`)).toEqual([
      'examples/federation-cross-silo.yaml: fl-hub',
      'examples/federation-cross-silo.yaml: hospital-a',
      'examples/federation-cross-silo.yaml: hospital-b',
      'gateway-api + vault secrets operator: fl-hub',
      'gateway-api + vault secrets operator: hospital-a',
      'gateway-api + vault secrets operator: hospital-b',
    ]);
  });

  describe.each(cases)('%s, bundle %s', (_label, name, spec) => {
    let cluster: TestCluster;
    const docs = bundles(spec).get(name)!;

    beforeAll(async () => {
      // A site cluster gets trust-manager's CRD only: an object of the
      // aggregator's PKI or entry (cert-manager, Gateway API, Vault) in a site
      // bundle would be refused. No Istio: the spec rejects a mesh across clusters.
      const crds =
        name === 'fl-hub'
          ? { istio: false }
          : { certManager: false, gatewayApi: false as const, istio: false, vaultSecretsOperator: false, trustManager: true };
      cluster = await startTestCluster({ name, crds });
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    it('accepts every object (Strict dry run, apply and create)', async () => {
      await createNamespaces(cluster, docs);
      const applied = await applyManifests(cluster, docs, { dryRun: true, fieldValidation: 'Strict' });
      expect(problems(applied)).toBe('');
      expect(applied).toHaveLength(docs.length);
      const created = await applyManifests(
        cluster,
        docs.filter(doc => doc.kind !== 'Namespace'),
        { mode: 'create', dryRun: true, fieldValidation: 'Strict' },
      );
      expect(problems(created)).toBe('');
    });

    it('rejects an unknown field (the schemas, trust-manager\'s included, are live)', async () => {
      // The trust-manager Bundle where the site has one, else the Deployment.
      const target = docs.find(doc => doc.kind === 'Bundle') ?? docs.find(doc => doc.kind === 'Deployment');
      const broken = { ...target, spec: { ...target.spec, unknownFlField: true } };
      const [result] = await applyManifests(cluster, [broken], { dryRun: true, fieldValidation: 'Strict' });
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/unknownFlField/);
    });
  });
});
