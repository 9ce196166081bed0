/**
 * The reachability section of a cross-silo federation read as one snapshot
 * per cluster: each site participant is a source of the aggregator's FL
 * port, expected exactly when NET-05 passed for it.
 */
import type { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { clusterBundleObjects, generateFromInput } from '../generator';
import { crossSiloSpec, withDigests } from '../generator/__testUtils__/specs';
import { evaluateFederations } from './evaluate';
import { issueFromCertificates } from './__testUtils__/issueFromSpecs';
import type { KubeObject } from './types';

function bundles(): Map<string, KubeObject[]> {
  const result = generateFromInput(withDigests(crossSiloSpec));
  if (!result.ok) throw new Error(result.errors.join('; '));
  return clusterBundleObjects(result.files) as Map<string, KubeObject[]>;
}

const wideEgress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {
    name: 'wide-egress',
    namespace: 'silo-hospital-a',
    labels: { 'backstage.io/kubernetes-id': 'silo' },
  },
  spec: {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
    ],
  },
};

function evaluate(extra: Record<string, KubeObject[]> = {}): ComplianceReport {
  const snapshots = [...bundles()].map(([cluster, objects]) => ({
    cluster,
    objects: [
      ...objects,
      ...(cluster === 'hub' ? issueFromCertificates(objects) : []),
      ...(extra[cluster] ?? []),
    ],
    gaps: [],
  }));
  const reports = evaluateFederations({ snapshots, now: new Date() });
  expect(reports).toHaveLength(1);
  return reports[0];
}

const siteRows = (report: ComplianceReport) =>
  report.reachability
    .filter(e => e.source.cluster !== e.target.cluster)
    .map(
      e =>
        `${e.source.cluster} ${e.source.label} -> ${e.target.cluster}/${
          e.target.name
        }:${e.port} ${e.expected ? 'expected' : 'unexpected'}`,
    );

describe('site participants in the reachability section', () => {
  it('lists every site participant as an expected source of the aggregator port', () => {
    const report = evaluate();
    expect(siteRows(report)).toEqual([
      'hospital-a participants/silo-hospital-a/supernode -> hub/superlink:9092 expected',
      'hospital-b participants/silo-hospital-b/supernode -> hub/superlink:9092 expected',
      'hospital-b participants/lab-fl/supernode -> hub/superlink:9092 expected',
    ]);
    const row = report.reachability.find(
      e => e.source.cluster === 'hospital-a',
    )!;
    // The policy that lets it open the external entry, not default-deny or DNS.
    expect(row.via).toEqual(['silo-hospital-a/allow-fleet-egress']);
    expect(row.reason).toBeUndefined();
    // The aggregator's own policies still give the in-cluster rows.
    expect(report.reachability.some(e => e.source.cluster === 'hub')).toBe(
      true,
    );
  });

  it("marks a site whose egress is wider than the aggregator unexpected, with NET-05's verdict as the reason", () => {
    const report = evaluate({ 'hospital-a': [wideEgress] });
    const net05 = report.results.find(
      r => r.ruleId === 'NET-05' && r.resource.cluster === 'hospital-a',
    )!;
    expect(net05.status).toBe('fail');
    const row = report.reachability.find(
      e => e.source.cluster === 'hospital-a',
    )!;
    expect(row.expected).toBe(false);
    expect(row.via).toEqual([
      'silo-hospital-a/allow-fleet-egress',
      'silo-hospital-a/wide-egress',
    ]);
    expect(row.reason).toBe(`NET-05 fail: ${net05.message}`);
    expect(row.reason).toMatch(/0\.0\.0\.0\/0/);
    // The other sites are not affected.
    expect(
      report.reachability.filter(e => !e.expected).map(e => e.source.cluster),
    ).toEqual(['hospital-a']);
  });

  it('adds no site rows to a federation in one cluster', () => {
    const report = evaluate();
    const single = evaluateFederations({
      snapshots: [{ cluster: 'hub', objects: bundles().get('hub')!, gaps: [] }],
      now: new Date(),
    })[0];
    expect(single.reachability.every(e => e.source.cluster === 'hub')).toBe(
      true,
    );
    expect(report.reachability.length).toBeGreaterThan(
      single.reachability.length,
    );
  });
});
