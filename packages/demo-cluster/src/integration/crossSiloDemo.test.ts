/**
 * The demo of `make start` as the portal reads it: three real API servers
 * (the aggregator's cluster and two site clusters), the cross-silo example
 * applied bundle by bundle, the single-cluster example in the aggregator's
 * cluster, each entity as examples/entities.yaml writes it, read by the
 * compliance backend as the portal's ServiceAccount of each cluster.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { TestCluster } from '@fl-security/test-cluster';
import type { SeededCrossSilo } from '../seedCrossSilo';
import {
  clusterNames,
  DEMO_SPECS,
  readSpec,
  seedDemo,
  startClusters,
  VIOLATING_SITE,
} from '../demo/demoSeed';
import {
  exampleEntity,
  federationEntity,
  REPO_ROOT,
} from './__testUtils__/federations';
import { startPortalBackend } from './__testUtils__/portalBackend';
import { resultKey } from './__testUtils__/reports';

jest.setTimeout(300_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const located = (report: ComplianceReport, ...statuses: string[]) =>
  report.results
    .filter(r => statuses.includes(r.status))
    .map(r => `${r.resource.cluster} ${resultKey(r)}`)
    .sort();

describe('the make start demo: one federation across three API servers', () => {
  let clusters: TestCluster[] = [];
  let silo: ComplianceReport;
  let single: ComplianceReport;
  let siteNamespace: string;
  let seededSpec: SeededCrossSilo;

  beforeAll(async () => {
    const specs = {
      single: readSpec(REPO_ROOT, DEMO_SPECS.single),
      crossSilo: readSpec(REPO_ROOT, DEMO_SPECS.crossSilo),
    };
    clusters = await startClusters(clusterNames(specs.crossSilo));
    const seeded = await seedDemo(clusters, specs);
    siteNamespace = seeded.siteViolation.metadata.namespace;
    seededSpec = seeded.silo;
    const backend = await startPortalBackend({
      clusters: clusters.map(c => ({
        name: c.name,
        url: c.server,
        caPem: c.caPem,
        token: seeded.silo.portalTokens[c.name],
      })),
      entities: [
        exampleEntity('silo-federation'),
        exampleEntity('demo-federation'),
      ],
      databases,
    });
    silo = (await backend.report('silo-federation')).report;
    single = (await backend.report('demo-federation')).report;
  });
  afterAll(async () => {
    await Promise.all(clusters.map(c => c.stop()));
  });

  it('starts the aggregator cluster and the site clusters the example names', () => {
    expect(clusters.map(c => c.name)).toEqual([
      'fl-hub',
      'hospital-a',
      'hospital-b',
    ]);
    expect(new Set(clusters.map(c => c.server)).size).toBe(3);
  });

  it('catalogs the cross-silo entity with the annotations the generator writes for it', () => {
    const catalogued = exampleEntity('silo-federation').metadata.annotations!;
    const generated = federationEntity(seededSpec.spec).metadata.annotations!;
    const entries = (annotations: Record<string, string>, key: string) =>
      annotations[key]?.split(',').sort();
    for (const key of ['fl-security/clusters', 'fl-security/namespaces']) {
      expect(entries(catalogued, key)).toEqual(entries(generated, key));
    }
    expect(entries(catalogued, 'fl-security/clusters')).toEqual(
      clusters.map(c => c.name).sort(),
    );
    expect(catalogued['backstage.io/kubernetes-id']).toBe(
      generated['backstage.io/kubernetes-id'],
    );
  });

  it('reads every cluster of the cross-silo entity, each result naming its cluster', () => {
    expect(silo.errors).toEqual([]);
    const byCluster = new Map<string, number>();
    for (const r of silo.results)
      byCluster.set(
        r.resource.cluster!,
        (byCluster.get(r.resource.cluster!) ?? 0) + 1,
      );
    expect([...byCluster.keys()].sort()).toEqual([
      'fl-hub',
      'hospital-a',
      'hospital-b',
    ]);
  });

  it('fails the site with the deliberate violation only, NET-05 naming its cluster', () => {
    const failing = located(silo, 'fail', 'error');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every(line => line.startsWith(`${VIOLATING_SITE} `))).toBe(
      true,
    );
    expect(failing).toContain(
      `${VIOLATING_SITE} NET-05 fail Deployment ${siteNamespace}/supernode`,
    );
    const net05 = silo.results.find(
      r => r.ruleId === 'NET-05' && r.resource.cluster === VIOLATING_SITE,
    )!;
    expect(net05.message).toMatch(/0\.0\.0\.0\/0/);
    // The other site passes its egress rule.
    expect(
      silo.results.find(
        r => r.ruleId === 'NET-05' && r.resource.cluster === 'hospital-b',
      )?.status,
    ).toBe('pass');
  });

  it('lists each site as a source of the aggregator port, the violating one unexpected', () => {
    const sites = silo.reachability.filter(
      e => e.source.cluster !== e.target.cluster,
    );
    expect(sites.map(e => `${e.source.cluster} ${e.expected}`).sort()).toEqual([
      `${VIOLATING_SITE} false`,
      'hospital-b true',
    ]);
    expect(
      silo.reachability.filter(e => !e.expected).map(e => e.source.cluster),
    ).toEqual([VIOLATING_SITE]);
    expect(sites.every(e => e.target.cluster === 'fl-hub')).toBe(true);
  });

  it('keeps the single-cluster demo entity in the aggregator cluster, its own violation included', () => {
    expect(single.errors).toEqual([]);
    expect(new Set(single.results.map(r => r.resource.cluster))).toEqual(
      new Set(['fl-hub']),
    );
    expect(located(single, 'fail')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^fl-hub NET-03 fail NetworkPolicy .*debug-allow-all-ingress$/,
        ),
      ]),
    );
  });
});
