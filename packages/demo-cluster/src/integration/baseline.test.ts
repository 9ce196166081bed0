/**
 * Issue 7, part 3: the default federation (examples/federation.yaml),
 * generated, applied to a real API server with certificates issued as its
 * Certificates specify, and read by the compliance backend through
 * @kubernetes/client-node as the portal's ServiceAccount, which only the
 * generated RBAC authorizes.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  EntityReportResponse,
  RULES,
} from '@fl-security/plugin-fl-security-common';
import {
  kubeRequest,
  startTestCluster,
  TestCluster,
} from '@fl-security/test-cluster';
import { seedFederation, SeededFederation } from '../seedFederation';
import {
  exampleEntity,
  exampleSpec,
  federationEntity,
} from './__testUtils__/federations';
import { startPortalBackend } from './__testUtils__/portalBackend';
import {
  problems,
  resultFor,
  resultKey,
  resultsWith,
} from './__testUtils__/reports';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('the default federation read by the compliance backend', () => {
  let cluster: TestCluster;
  let seeded: SeededFederation;
  let response: EntityReportResponse;

  beforeAll(async () => {
    cluster = await startTestCluster({ name: 'integration-baseline' });
    seeded = await seedFederation(cluster, exampleSpec());
    const backend = await startPortalBackend({
      clusters: [
        {
          // The cluster the entity names (the demo's aggregator cluster).
          name: 'fl-hub',
          url: cluster.server,
          caPem: cluster.caPem,
          token: seeded.portalToken,
        },
      ],
      // The entity `make start` shows, as examples/entities.yaml writes it.
      entities: [exampleEntity('demo-federation')],
      databases,
    });
    response = await backend.report('demo-federation');
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('reads the namespaces the generator names for the entity', () => {
    const catalogued = exampleEntity('demo-federation').metadata.annotations!;
    const generated = federationEntity(seeded.spec).metadata.annotations!;
    const namespaces = (annotations: Record<string, string>) =>
      annotations['fl-security/namespaces'].split(',').sort();
    expect(namespaces(catalogued)).toEqual(namespaces(generated));
    expect(catalogued['backstage.io/kubernetes-id']).toBe(
      generated['backstage.io/kubernetes-id'],
    );
  });

  it('reads the whole federation without a cluster or permission error', () => {
    expect(response.entityRef).toBe('component:default/demo-federation');
    expect(response.report.federation).toBe('demo-federation');
    expect(response.report.errors).toEqual([]);
    expect(
      response.report.results.every(r => r.resource.cluster === 'fl-hub'),
    ).toBe(true);
  });

  it('passes every rule, with no fail, error or warn', () => {
    expect(problems(response.report)).toEqual([]);
    expect(response.overall).toBe('compliant');
    const evaluated = new Set(response.report.results.map(r => r.ruleId));
    expect(RULES.map(r => r.id).filter(id => !evaluated.has(id))).toEqual([]);
  });

  it('skips only what it explains', () => {
    const { spec } = seeded;
    const caSecret = `Secret cert-manager/${spec.name}-ca`;
    const aggregator = `Deployment ${spec.aggregator.namespace}/superlink`;
    const skips = resultsWith(response.report, 'skip');
    expect(skips.map(resultKey)).toEqual([
      `CERT-02 skip ${caSecret}`,
      `CERT-03 skip ${caSecret}`,
      `CERT-04 skip ${caSecret}`,
      `CERT-06 skip ${caSecret}`,
      `ING-04 skip ${aggregator}`,
      `MESH-01 skip ${aggregator}`,
    ]);
    // The CA Secret holds the CA key: never read, by design; its
    // certificate is checked through the ca.crt of the Secrets it issued.
    for (const skip of skips.filter(s => s.ruleId.startsWith('CERT-'))) {
      expect(skip.message).toContain('not read by design');
    }
    // ssl-passthrough: the Ingress references no TLS Secret to check.
    expect(resultFor(response.report, 'ING-04', 'superlink').message).toContain(
      'pass TLS through',
    );
    // mesh: none in the spec.
    expect(
      resultFor(response.report, 'MESH-01', 'superlink').message,
    ).toContain('No service mesh');
  });

  it('checks every namespace and every Flower workload of the federation', () => {
    const { spec } = seeded;
    const namespaces = [
      spec.aggregator.namespace,
      ...spec.participants.map(p => p.namespace),
    ];
    for (const namespace of namespaces) {
      expect(resultFor(response.report, 'NET-01', namespace).status).toBe(
        'pass',
      );
      expect(resultFor(response.report, 'POD-02', namespace).status).toBe(
        'pass',
      );
    }
    expect(
      resultFor(
        response.report,
        'FL-01',
        'superlink',
        spec.aggregator.namespace,
      ).message,
    ).toContain('serves TLS');
    for (const participant of spec.participants) {
      expect(
        resultFor(response.report, 'FL-01', 'supernode', participant.namespace)
          .message,
      ).toContain('--root-certificates');
    }
    expect(resultFor(response.report, 'NET-04', 'superlink').message).toContain(
      '3 participant workload(s)',
    );
  });

  it('reports the issued certificates as metadata, never their keys', async () => {
    const { spec } = seeded;
    const leaf = response.report.certificates.find(
      c =>
        c.chainIndex === 0 &&
        c.source.name === 'superlink-tls' &&
        c.source.namespace === spec.aggregator.namespace,
    );
    expect(leaf?.dnsNames).toEqual(
      expect.arrayContaining([
        'fl.example.com',
        `superlink.${spec.aggregator.namespace}.svc`,
      ]),
    );
    expect(leaf?.keyType).toBe('ec');

    const text = JSON.stringify(response);
    expect(text).not.toContain('PRIVATE KEY');
    const secret = await kubeRequest(cluster, {
      path: `/api/v1/namespaces/${spec.aggregator.namespace}/secrets/superlink-tls`,
      token: cluster.adminToken,
    });
    const keyBase64: string = secret.body.data['tls.key'];
    const keyBody = Buffer.from(keyBase64, 'base64')
      .toString('utf8')
      .split('\n')
      .filter(line => line && !line.startsWith('-----'))
      .join('');
    // Past the PKCS#8 header, which every key of the curve shares.
    const keyMaterial = keyBody.slice(48, 96);
    expect(keyMaterial).toHaveLength(48);
    expect(text).not.toContain(keyBase64);
    expect(text).not.toContain(keyMaterial);
  });
});
