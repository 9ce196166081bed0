import { RULE_IDS } from '@fl-security/plugin-fl-security-common';
import { evaluateFederation, evaluateFederations } from './evaluate';
import {
  FEDERATION,
  evaluate,
  secureFederation,
  superlink,
  supernode,
} from './__testUtils__/builders';

describe('evaluateFederations', () => {
  it('passes every rule on the secure federation (no fail, warn or error)', () => {
    const report = evaluate(secureFederation());
    const bad = report.results.filter(
      r => !['pass', 'skip'].includes(r.status),
    );
    expect(bad).toEqual([]);
    const evaluated = new Set(
      report.results.filter(r => r.status === 'pass').map(r => r.ruleId),
    );
    // Offline there is no cert-manager status, no mesh, and passthrough needs no ingress Secret.
    expect(RULE_IDS.filter(id => !evaluated.has(id))).toEqual([
      'ING-04',
      'CERT-01',
      'MESH-01',
    ]);
    expect(report.federation).toBe(FEDERATION);
    expect(report.summary.fail).toBe(0);
  });

  it('fills certificates (metadata only) and reachability', () => {
    const report = evaluate(secureFederation());
    const leaf = report.certificates.find(
      c => c.source.name === 'superlink-tls' && c.chainIndex === 0,
    )!;
    expect(leaf.dnsNames).toContain('fl.example.com');
    expect(leaf.keyType).toBe('ec');
    expect(leaf.curve).toBe('prime256v1');
    expect(leaf.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(leaf.daysLeft).toBeGreaterThanOrEqual(88);
    expect(JSON.stringify(report)).not.toMatch(/PRIVATE KEY/);
    expect(
      report.reachability.map(r => [r.port, r.source.label, r.expected]).sort(),
    ).toEqual([
      [9092, '203.0.113.0/24', true],
      [9092, 'namespace/ingress-nginx', true],
      [9092, 'participants/site-a/supernode', true],
      [9092, 'participants/site-b/supernode', true],
    ]);
  });

  it('uses only the clock it is given', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const report = evaluate(secureFederation(), { now });
    expect(report.generatedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(
      report.results.find(
        r =>
          r.ruleId === 'CERT-02' &&
          r.resource.name === 'superlink-tls' &&
          r.resource.kind === 'Secret',
      )?.status,
    ).toBe('fail');
  });

  it('groups federations by label and sorts them by name', () => {
    const other = [
      superlink({
        name: 'other',
        labels: {
          'backstage.io/kubernetes-id': 'alpha',
          'fl-security/role': 'aggregator',
        },
      }),
    ];
    const reports = evaluateFederations({
      snapshots: [{ objects: [...secureFederation(), ...other], gaps: [] }],
      now: new Date(),
    });
    expect(reports.map(r => r.federation)).toEqual(['alpha', FEDERATION]);
  });

  it('recognises unlabelled Flower workloads and joins SuperNodes to the SuperLink they dial', () => {
    const strip = (o: ReturnType<typeof superlink>) => {
      const labels = { app: o.metadata.name };
      o.metadata.labels = labels;
      (o.spec as any).template.metadata.labels = labels;
      return o;
    };
    const objects = [
      strip(superlink()),
      strip(supernode('site-a')),
      ...secureFederation().filter(o => o.kind === 'Service'),
    ];
    const reports = evaluateFederations({
      snapshots: [{ objects, gaps: [] }],
      now: new Date(),
    });
    expect(reports).toHaveLength(1);
    expect(reports[0].federation).toBe('superlink');
    expect(
      reports[0].results
        .filter(r => r.ruleId === 'FL-01')
        .map(r => r.resource.namespace)
        .sort(),
    ).toEqual(['fl-agg', 'site-a']);
  });

  it('reports an unknown federation with an error instead of an empty pass', () => {
    const report = evaluateFederation({
      snapshots: [{ objects: secureFederation(), gaps: [] }],
      now: new Date(),
      federation: 'nope',
    });
    expect(report.results).toEqual([]);
    expect(report.errors[0].message).toMatch(/nope/);
  });

  it('rejects an invalid clock', () => {
    expect(() =>
      evaluateFederations({ snapshots: [], now: new Date('x') }),
    ).toThrow(/now/);
  });

  it('spans clusters: members of one federation in several snapshots, refs carry the cluster', () => {
    const all = secureFederation();
    const siteB = (o: {
      metadata: { namespace?: string; name: string };
      kind: string;
    }) =>
      o.metadata.namespace === 'site-b' ||
      (o.kind === 'Namespace' && o.metadata.name === 'site-b');
    const central = all.filter(o => !siteB(o));
    const remote = all.filter(siteB).map(o =>
      o.kind === 'Deployment'
        ? supernode('site-b', {
            args: [
              '--superlink',
              'fl.example.com:443',
              '--root-certificates',
              '/ca/ca.crt',
              '--auth-supernode-private-key',
              '/auth/private-key',
            ],
          })
        : o,
    );
    const [report] = evaluateFederations({
      snapshots: [
        { cluster: 'central', objects: central, gaps: [] },
        { cluster: 'edge', objects: remote, gaps: [] },
      ],
      now: new Date(),
    });
    const fl01 = report.results.filter(r => r.ruleId === 'FL-01');
    expect(
      fl01.map(r => `${r.resource.cluster}/${r.resource.namespace}`).sort(),
    ).toEqual(['central/fl-agg', 'central/site-a', 'edge/site-b']);
    // The remote site is not a pod source of the aggregator's cluster: it
    // reaches the port from its own cluster, through the exposure's declared
    // source, and is expected only when its own egress passed NET-05.
    const siteBRows = report.reachability.filter(
      e => e.source.label === 'participants/site-b/supernode',
    );
    expect(
      siteBRows.map(
        e => `${e.source.cluster} -> ${e.target.cluster} ${e.via[0]}`,
      ),
    ).toEqual(['edge -> central fl.example.com through 203.0.113.0/24']);
    expect(siteBRows[0].expected).toBe(
      report.results.find(
        r => r.ruleId === 'NET-05' && r.resource.cluster === 'edge',
      )?.status === 'pass',
    );
    expect(report.results.find(r => r.ruleId === 'NET-04')?.status).toBe(
      'pass',
    );
    // Its external host is a dialled name the certificate must cover.
    expect(report.results.find(r => r.ruleId === 'CERT-05')?.status).toBe(
      'pass',
    );
  });
});
