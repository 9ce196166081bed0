/*
 * A cross-silo federation on three real API servers (packages/test-cluster:
 * one etcd + kube-apiserver each, on free loopback ports): the aggregator's
 * cluster and two site clusters, each given its own generated bundle, then
 * scanned through the backend's federation reader with the portal's
 * generated RBAC. A site whose egress allows more than the aggregator's
 * external address fails NET-05, naming its cluster; a stopped site
 * cluster is a SCOPE-02 error and every other verdict stands.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  ComplianceReport,
  FL_SECURITY_CLUSTERS_ANNOTATION,
  FL_SECURITY_NAMESPACES_ANNOTATION,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import {
  clusterBundleObjects,
  evaluateFederation,
  generateFromInput,
} from '@fl-security/plugin-fl-security-node';
import {
  applyManifests,
  describeFailures,
  issueCertificates,
  parseManifests,
  startTestCluster,
  TestCluster,
} from '@fl-security/test-cluster';
import { testClusterSpec } from './__testUtils__/testClusterSpec';
import { scanTargetForEntity } from './entity/scanTarget';
import { loadClientNode } from './kube/clientNode';
import { FederationReader } from './reader/federationReader';
import { unreadClusterResults } from './service/scopeResults';

jest.setTimeout(600_000);

const PORTAL_USER = 'system:serviceaccount:backstage:backstage';
const FEDERATION = 'silo-federation';
const HUB = 'fl-hub';
const SITES = ['hospital-a', 'hospital-b'];
const SITE_A_NS = 'silo-federation-hospital-a';

const [spec] = parseManifests(
  fs.readFileSync(
    path.resolve(__dirname, '..', '..', '..', 'examples', 'federation-cross-silo.yaml'),
    'utf8',
  ),
);

/** The generated bundles, by cluster (deploy/clusters/<cluster>/). */
function bundles(): Map<string, any[]> {
  const generated = generateFromInput(spec);
  if (!generated.ok) throw new Error(generated.errors.join('; '));
  return clusterBundleObjects(generated.files);
}

async function mustApply(cluster: TestCluster, objects: any[]) {
  const failures = describeFailures(await applyManifests(cluster, objects));
  if (failures) throw new Error(`applying to ${cluster.name} failed:\n${failures}`);
}

/** Namespaces first (the bundle's and the ones it only refers to), then the rest. */
async function applyBundle(cluster: TestCluster, docs: any[]) {
  const declared = docs.filter(d => d.kind === 'Namespace');
  const names = new Set(declared.map(d => d.metadata.name));
  const others = [
    ...new Set<string>([
      ...docs.map(d => d.metadata.namespace).filter(Boolean),
      // The hub's ingress controller; a site has one of that name too.
      'ingress-nginx',
      'kube-system',
    ]),
  ]
    .filter(name => !names.has(name))
    .map(name => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  await mustApply(cluster, [...declared, ...others]);
  await mustApply(cluster, docs.filter(d => d.kind !== 'Namespace'));
}

const line = (r: RuleResult) =>
  `${r.ruleId} ${r.status} ${r.resource.cluster} ${r.resource.kind} ${r.resource.namespace ?? ''}/${r.resource.name}`;

describe('a cross-silo federation on three real API servers', () => {
  const clusters = new Map<string, TestCluster>();
  let entity: Entity;
  const docs = bundles();

  beforeAll(async () => {
    await loadClientNode();
    // One at a time: two shared cores.
    for (const name of [HUB, ...SITES]) {
      const crds =
        name === HUB
          ? { gatewayApi: false as const, istio: false, vaultSecretsOperator: false }
          : { certManager: false, gatewayApi: false as const, istio: false, vaultSecretsOperator: false, trustManager: true };
      clusters.set(name, await startTestCluster({ name, crds, users: [{ name: PORTAL_USER }] }));
    }
    // Bundle by bundle, each in its own cluster.
    for (const [name, cluster] of clusters) await applyBundle(cluster, docs.get(name)!);
    const { notIssued } = await issueCertificates(clusters.get(HUB)!);
    if (notIssued.length > 0) throw new Error(`not issued: ${JSON.stringify(notIssued)}`);
    const namespaces = [...docs].flatMap(([name, objects]) =>
      objects.filter(o => o.kind === 'Namespace').map(o => `${name}/${o.metadata.name}`),
    );
    entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: FEDERATION,
        annotations: {
          'backstage.io/kubernetes-id': FEDERATION,
          [FL_SECURITY_CLUSTERS_ANNOTATION]: [HUB, ...SITES].join(','),
          [FL_SECURITY_NAMESPACES_ANNOTATION]: namespaces.join(','),
        },
      },
      spec: { type: 'federated-learning' },
    };
  });

  afterAll(async () => {
    for (const cluster of clusters.values()) await cluster.stop();
  });

  /** Reads every cluster as the portal does, evaluates, adds SCOPE-02 for clusters not read. */
  async function scan(): Promise<{ report: ComplianceReport; unread: string[] }> {
    const specs = [...clusters].map(([name, cluster]) =>
      testClusterSpec(name, cluster, cluster.tokens[PORTAL_USER]),
    );
    const reader = new FederationReader(specs, { clusterTimeoutMs: 15_000, concurrency: 4 });
    const target = scanTargetForEntity(entity);
    const read = await reader.read(target);
    const report = evaluateFederation({ snapshots: read.snapshots, now: new Date(), federation: FEDERATION });
    const results = [...unreadClusterResults(read.errors, target), ...report.results];
    return { report: { ...report, results }, unread: read.errors.map(e => e.cluster) };
  }

  const net05 = (report: ComplianceReport, cluster: string) =>
    report.results.filter(r => r.ruleId === 'NET-05' && r.resource.cluster === cluster);

  let widened: ComplianceReport;

  it('as generated: each site\'s egress is the aggregator\'s external address on its port, and the hub counts both sites', async () => {
    const { report, unread } = await scan();
    expect(unread).toEqual([]);
    for (const site of SITES) {
      expect(net05(report, site).map(r => [r.status, r.message])).toEqual([
        ['pass', expect.stringMatching(new RegExp(`in cluster ${site} is limited to the aggregator's external entry 198\\.51\\.100\\.10/32 on port 443 \\(fl-security/external-addresses of Ingress silo-federation-aggregator/superlink in cluster ${HUB}\\)`))],
      ]);
    }
    const net04 = report.results.filter(r => r.ruleId === 'NET-04');
    expect(net04.map(r => [r.status, r.resource.cluster, r.message])).toEqual([
      ['pass', HUB, expect.stringMatching(/2 site participant\(s\) in clusters hospital-a, hospital-b through the exposure/)],
    ]);
  });

  it('fails NET-05 for a site whose egress allows more than the aggregator\'s address, naming its cluster', async () => {
    const policy = structuredClone(
      docs.get('hospital-a')!.find(d => d.kind === 'NetworkPolicy' && d.metadata.name === 'allow-fleet-egress'),
    );
    policy.spec.egress[0].to = [{ ipBlock: { cidr: '198.51.0.0/16' } }];
    await mustApply(clusters.get('hospital-a')!, [policy]);
    widened = (await scan()).report;
    expect(net05(widened, 'hospital-a').map(r => [r.status, r.resource.namespace, r.message])).toEqual([
      ['fail', SITE_A_NS, expect.stringMatching(/in cluster hospital-a may connect beyond the aggregator's external entry 198\.51\.100\.10\/32 on port 443: 198\.51\.0\.0\/16/)],
    ]);
    expect(net05(widened, 'hospital-b').map(r => r.status)).toEqual(['pass']);
  });

  it('gives a stopped site cluster error results (the cluster, each of its namespaces); the hub\'s and the other site\'s verdicts stand', async () => {
    expect(widened).toBeDefined();
    const siteNamespaces = docs
      .get('hospital-b')!
      .filter(o => o.kind === 'Namespace')
      .map(o => o.metadata.name as string)
      .sort();
    expect(siteNamespaces.length).toBeGreaterThan(0);
    await clusters.get('hospital-b')!.stop();
    const { report, unread } = await scan();
    expect(unread).toEqual(['hospital-b']);
    expect(report.results.filter(r => r.resource.cluster === 'hospital-b').map(line)).toEqual([
      'SCOPE-02 error hospital-b Cluster /hospital-b',
      ...siteNamespaces.map(ns => `SCOPE-02 error hospital-b Namespace /${ns}`),
    ]);
    const others = (r: ComplianceReport) =>
      r.results.filter(x => x.resource.cluster !== 'hospital-b').map(line).sort();
    expect(others(report)).toEqual(others(widened));
    expect(net05(report, 'hospital-a')[0].message).toContain('in cluster hospital-a');
  });
});
