/**
 * The shape `yarn bench` scans at 100 site clusters, as snapshots: each
 * bundle is its own cluster's snapshot (the aggregator's with its issued
 * certificates, each site's trusting the issued CA). One report comes out,
 * every cluster has results of its own, and every result about a namespace
 * names the cluster that namespace is in (timings live in the bench).
 */
import { X509Certificate } from 'node:crypto';
import type { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { clusterBundleObjects, generateFromInput } from '../generator';
import { withDigests } from '../generator/__testUtils__/specs';
import { evaluateFederations } from './evaluate';
import { issueFromCertificates } from './__testUtils__/issueFromSpecs';
import type { ClusterSnapshot, KubeObject } from './types';

const SITES = 100;

function spec(caBundle?: string) {
  return withDigests({
    name: 'silo-scale',
    aggregator: { cluster: 'hub' },
    participants: Array.from({ length: SITES }, (_, i) => ({
      name: `site-${i}`,
      cluster: `site-${i}`,
      caDistribution: i % 2 === 0 ? 'configmap' : 'trust-manager',
    })),
    ...(caBundle ? { tls: { caBundle: [caBundle] } } : {}),
    network: {
      exposure: 'ingress-nginx',
      externalHost: 'fl.example.com',
      externalAddresses: ['198.51.100.10/32'],
    },
  } as never);
}

function byCluster(input: unknown): Map<string, KubeObject[]> {
  const result = generateFromInput(input);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return clusterBundleObjects(result.files) as Map<string, KubeObject[]>;
}

function issuedCaBase64(issued: KubeObject[]): string {
  for (const secret of issued) {
    const crt = String((secret.data as Record<string, string>)['tls.crt']);
    if (new X509Certificate(Buffer.from(crt, 'base64')).ca) return crt;
  }
  throw new Error('no CA was issued');
}

describe(`a cross-silo federation of ${SITES} site clusters, one snapshot per cluster`, () => {
  // The hub bundle does not depend on tls.caBundle: issue once, copy the CA in.
  const hub = byCluster(spec()).get('hub')!;
  const issued = issueFromCertificates(hub);
  const clusters = byCluster(spec(issuedCaBase64(issued)));
  const snapshots: ClusterSnapshot[] = [...clusters].map(
    ([cluster, objects]) => ({
      cluster,
      objects: cluster === 'hub' ? [...objects, ...issued] : objects,
      gaps: [],
    }),
  );
  // Where each namespace's objects are (cert-manager's: the hub's issued CA).
  const namespaceCluster = new Map<string, Set<string>>();
  for (const { cluster, objects } of snapshots) {
    for (const object of objects) {
      const namespace =
        object.kind === 'Namespace'
          ? object.metadata?.name
          : object.metadata?.namespace;
      if (namespace)
        namespaceCluster.set(
          namespace,
          (namespaceCluster.get(namespace) ?? new Set()).add(cluster!),
        );
    }
  }
  let reports: ComplianceReport[];
  let report: ComplianceReport;

  beforeAll(() => {
    reports = evaluateFederations({ snapshots, now: new Date() });
    report = reports[0];
  });

  it('has the aggregator cluster and every site cluster, and one report', () => {
    expect(reports).toHaveLength(1);
    expect(clusters.size).toBe(SITES + 1);
    // Each namespace is in one cluster only: a result's cluster is not a guess.
    expect([...namespaceCluster.values()].every(set => set.size === 1)).toBe(
      true,
    );
  });

  it('gives every cluster results of its own, each naming a configured cluster', () => {
    const counts = new Map<string, number>();
    for (const result of report.results) {
      const cluster = result.resource.cluster;
      expect(cluster === undefined ? undefined : clusters.has(cluster)).toBe(
        true,
      );
      counts.set(cluster!, (counts.get(cluster!) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...clusters.keys()].sort());
  });

  it('names, for every result about a namespace, the cluster that namespace is in', () => {
    const misplaced = report.results
      .filter(
        r =>
          r.resource.namespace &&
          !namespaceCluster.get(r.resource.namespace)?.has(r.resource.cluster!),
      )
      .map(
        r =>
          `${r.ruleId} ${r.resource.cluster} ${r.resource.namespace}/${r.resource.name}`,
      );
    expect(misplaced).toEqual([]);
  });

  it("passes each site's egress in its own cluster and fails nothing", () => {
    const egress = report.results.filter(
      r => r.ruleId === 'NET-05' && r.resource.cluster !== 'hub',
    );
    expect(new Set(egress.map(r => r.resource.cluster)).size).toBe(SITES);
    expect(
      egress
        .filter(r => r.status !== 'pass')
        .map(r => `${r.resource.cluster}: ${r.message}`),
    ).toEqual([]);
    expect(
      report.results
        .filter(r => r.status === 'fail')
        .map(r => `${r.ruleId} ${r.resource.cluster}: ${r.message}`),
    ).toEqual([]);
  });
});
