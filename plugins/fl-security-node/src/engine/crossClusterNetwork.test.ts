/**
 * NET-04 and NET-05 across clusters: the example cross-silo federation's
 * bundles as live snapshots, one per cluster (what the portal reads), then
 * one change at a time in a site cluster or in the aggregator's. A site's
 * pods and namespaces are in the site's cluster: only the aggregator's
 * external entry (its addresses, its port) is the aggregator there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComplianceReport, RuleResult } from '@fl-security/plugin-fl-security-common';
import { clusterBundleObjects, generateFromInput, parseSpecText } from '../generator';
import { evaluateFederation } from './evaluate';
import type { ClusterSnapshot, KubeObject } from './types';

const FEDERATION = 'silo-federation';
const HUB = 'fl-hub';
const SITE_A = 'silo-federation-hospital-a';

function exampleSpec(): Record<string, any> {
  const text = readFileSync(join(__dirname, '..', '..', '..', '..', 'examples', 'federation-cross-silo.yaml'), 'utf8');
  const spec = parseSpecText(text);
  if (!spec.ok) throw new Error(spec.errors.join('; '));
  return spec.value as Record<string, any>;
}

function exampleBundles(spec: unknown = exampleSpec()): Map<string, KubeObject[]> {
  const generated = generateFromInput(spec);
  if (!generated.ok) throw new Error(generated.errors.join('; '));
  return clusterBundleObjects(generated.files) as Map<string, KubeObject[]>;
}

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/** Every cluster as the portal reads it, with the namespaces the bundles do not create. */
function liveClusters(spec?: unknown): Map<string, KubeObject[]> {
  const clusters = exampleBundles(spec);
  for (const [name, objects] of clusters) {
    objects.push(namespace('kube-system'));
    // The hub's ingress controller, and an ingress controller of the same name in each site.
    objects.push(namespace('ingress-nginx'));
    if (name === HUB) objects.push(namespace('cert-manager'));
  }
  return clusters;
}

function evaluate(clusters: Map<string, KubeObject[]>, partialNamespaces = false): ComplianceReport {
  const snapshots: ClusterSnapshot[] = [...clusters].map(([cluster, objects]) => ({
    cluster,
    objects,
    gaps: [],
    ...(partialNamespaces ? { partialNamespaces } : {}),
  }));
  return evaluateFederation({ snapshots, now: new Date(), federation: FEDERATION });
}

function find(objects: KubeObject[], kind: string, ns: string, name: string): KubeObject {
  const found = objects.find(o => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${ns}/${name}`);
  return found;
}

type Egress = { to?: unknown[]; ports?: unknown[] };

/** Replaces the site's fleet egress rule (hospital-a's namespace, cluster hospital-a). */
function withSiteEgress(egress: Egress[]): Map<string, KubeObject[]> {
  const clusters = liveClusters();
  const policy = find(clusters.get('hospital-a')!, 'NetworkPolicy', SITE_A, 'allow-fleet-egress');
  (policy.spec as { egress: Egress[] }).egress = egress;
  return clusters;
}

function result(report: ComplianceReport, rule: string, cluster: string, ns: string): RuleResult {
  const found = report.results.filter(
    r => r.ruleId === rule && r.resource.cluster === cluster && r.resource.namespace === ns,
  );
  expect(found).toHaveLength(1);
  return found[0];
}

const siteA = (report: ComplianceReport) => result(report, 'NET-05', 'hospital-a', SITE_A);

const fleet = (cidr: string, ports: unknown[] = [{ protocol: 'TCP', port: 443 }]): Egress => ({
  to: [{ ipBlock: { cidr } }],
  ports,
});

describe('NET-05 for a site in its own cluster', () => {
  it('passes the generated egress: the aggregator\'s external address on its port, named with the cluster', () => {
    const report = evaluate(liveClusters());
    for (const [cluster, ns] of [
      ['hospital-a', SITE_A],
      ['hospital-b', 'silo-federation-hospital-b'],
    ]) {
      const r = result(report, 'NET-05', cluster, ns);
      expect(r.status).toBe('pass');
      expect(r.message).toContain(`in cluster ${cluster}`);
      expect(r.message).toContain('198.51.100.10/32 on port 443');
    }
  });

  it.each([
    ['a /16 holding the aggregator\'s address', [fleet('198.51.0.0/16')], /198\.51\.0\.0\/16/],
    ['every address', [fleet('0.0.0.0/0')], /0\.0\.0\.0\/0/],
    ['another port on the aggregator\'s address', [fleet('198.51.100.10/32', [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 22 }])], /port 22/],
    ['every port on the aggregator\'s address', [fleet('198.51.100.10/32', [])], /every port/],
    ['another address on the fleet port', [fleet('198.51.100.10/32'), fleet('203.0.113.7/32')], /203\.0\.113\.7\/32/],
  ])('fails egress to %s, naming the site\'s cluster', (_what, egress, detail) => {
    const r = siteA(evaluate(withSiteEgress(egress)));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(detail);
    expect(r.message).toContain('cluster hospital-a');
    expect(r.remediation).toContain('to 198.51.100.10/32 on port 443 (TCP) and DNS');
  });

  it('fails egress to a namespace of the site named like the hub\'s ingress controller namespace', () => {
    const clusters = withSiteEgress([
      fleet('198.51.100.10/32'),
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] },
    ]);
    const r = siteA(evaluate(clusters));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/namespace ingress-nginx/);
    expect(r.message).toContain('cluster hospital-a');
  });

  it('fails egress to pods of the site named like the aggregator\'s namespace', () => {
    const clusters = withSiteEgress([
      fleet('198.51.100.10/32'),
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'silo-federation-aggregator' } } }], ports: [{ protocol: 'TCP', port: 9092 }] },
    ]);
    clusters.get('hospital-a')!.push(namespace('silo-federation-aggregator'));
    const r = siteA(evaluate(clusters));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/silo-federation-aggregator/);
  });

  it('fails egress to a namespace the portal did not read (only the entity\'s Namespaces are read)', () => {
    const clusters = withSiteEgress([
      fleet('198.51.100.10/32'),
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
    ]);
    // Complete list without it: the namespace does not exist, nothing is reachable there.
    expect(siteA(evaluate(clusters)).status).toBe('pass');
    const r = siteA(evaluate(clusters, true));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/every pod of namespace monitoring in cluster hospital-a/);
  });

  it('does not pass when the aggregator\'s cluster was not read: its external addresses are unknown', () => {
    const clusters = liveClusters();
    clusters.delete(HUB);
    const r = siteA(evaluate(clusters));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/external address/);
    expect(r.message).toContain(HUB);
  });

  it('does not pass when the aggregator\'s exposure names no external address', () => {
    const clusters = liveClusters();
    const ingress = find(clusters.get(HUB)!, 'Ingress', 'silo-federation-aggregator', 'superlink');
    delete ingress.metadata.annotations!['fl-security/external-addresses'];
    const r = siteA(evaluate(clusters));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/external address/);
  });

  it('does not take an annotated entry wider than a load balancer\'s addresses: a site egress to 10.0.0.0/8 is not a pass', () => {
    const clusters = withSiteEgress([fleet('10.0.0.0/8')]);
    const ingress = find(clusters.get(HUB)!, 'Ingress', 'silo-federation-aggregator', 'superlink');
    ingress.metadata.annotations!['fl-security/external-addresses'] = '10.0.0.0/8';
    const r = siteA(evaluate(clusters));
    expect(r.status).toBe('error');
    expect(r.message).toContain('10.0.0.0/8 (wider than the 256 addresses of an entry)');
  });

  it('takes an annotated entry of up to 256 addresses and fails egress beyond it', () => {
    const clusters = withSiteEgress([fleet('198.51.100.0/23')]);
    const ingress = find(clusters.get(HUB)!, 'Ingress', 'silo-federation-aggregator', 'superlink');
    ingress.metadata.annotations!['fl-security/external-addresses'] = '198.51.100.0/24';
    const r = siteA(evaluate(clusters));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('198.51.100.0/24 on port 443');
  });

  it('takes the external address from the Ingress status when no annotation names it', () => {
    const clusters = withSiteEgress([fleet('203.0.113.7/32')]);
    const ingress = find(clusters.get(HUB)!, 'Ingress', 'silo-federation-aggregator', 'superlink');
    delete ingress.metadata.annotations!['fl-security/external-addresses'];
    ingress.status = { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } };
    const r = siteA(evaluate(clusters));
    expect(r.status).toBe('pass');
    expect(r.message).toContain('203.0.113.7/32');
  });

  it('does not take an address from an Ingress of the site cluster', () => {
    const clusters = withSiteEgress([fleet('0.0.0.0/0')]);
    clusters.get('hospital-a')!.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'superlink',
        namespace: SITE_A,
        labels: { 'backstage.io/kubernetes-id': FEDERATION },
        annotations: { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true', 'fl-security/external-addresses': '0.0.0.0/0' },
      },
      spec: { rules: [{ host: 'fl.example.com' }] },
    });
    expect(siteA(evaluate(clusters)).status).toBe('fail');
  });

  it('reads the entry from a TLSRoute (Gateway API, IPv4 and IPv6 addresses, port 8443)', () => {
    const spec = exampleSpec();
    spec.network = {
      exposure: 'gateway-api',
      externalHost: 'fl.example.org',
      gateway: { name: 'edge', namespace: 'gateway-system' },
      externalAddresses: ['198.51.100.0/28', '2001:db8::10/128'],
      externalPort: 8443,
    };
    const clusters = liveClusters(spec);
    const report = evaluate(clusters);
    const r = result(report, 'NET-05', 'hospital-b', 'silo-federation-hospital-b');
    expect(r.status).toBe('pass');
    expect(r.message).toContain('198.51.100.0/28, 2001:db8::10/128 on port 8443 (fl-security/external-addresses of TLSRoute');
    const policy = find(clusters.get('hospital-a')!, 'NetworkPolicy', SITE_A, 'allow-fleet-egress');
    (policy.spec as { egress: Egress[] }).egress.push(fleet('2001:db8::/64', [{ protocol: 'TCP', port: 8443 }]));
    const widened = siteA(evaluate(clusters));
    expect(widened.status).toBe('fail');
    expect(widened.message).toMatch(/2001:db8::\/64 .*beyond the aggregator's external address/);
  });

  it('reads the entry from the parent Gateway\'s status and listener port when the route names none', () => {
    const spec = exampleSpec();
    spec.network = {
      exposure: 'gateway-api',
      externalHost: 'fl.example.org',
      gateway: { name: 'edge', namespace: 'gateway-system' },
      externalAddresses: ['203.0.113.0/28'],
      externalPort: 8443,
    };
    const clusters = liveClusters(spec);
    const hub = clusters.get(HUB)!;
    const route = hub.find(o => o.kind === 'TLSRoute')!;
    delete route.metadata.annotations;
    hub.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'gateway-system' },
      spec: { listeners: [{ name: 'fleet', protocol: 'TLS', port: 8443, tls: { mode: 'Passthrough' } }] },
      status: { addresses: [{ type: 'IPAddress', value: '203.0.113.5' }, { type: 'Hostname', value: 'lb.example.org' }] },
    });
    const r = result(evaluate(clusters), 'NET-05', 'hospital-b', 'silo-federation-hospital-b');
    // The site allows the /28; the Gateway says the entry is one address of it.
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/203\.0\.113\.0\/28 .*beyond the aggregator's external address 203\.0\.113\.5\/32/);
  });

  it('keeps judging the aggregator\'s own cluster as before (the local site)', () => {
    const r = result(evaluate(liveClusters()), 'NET-05', HUB, 'silo-federation-research-lab');
    expect(r.status).toBe('pass');
  });
});

describe('NET-04 across clusters', () => {
  it('counts the sites that reach the aggregator through its exposure', () => {
    const r = result(evaluate(liveClusters()), 'NET-04', HUB, 'silo-federation-aggregator');
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/2 site participant\(s\) in clusters hospital-a, hospital-b/);
  });

  it('warns when the sites cannot come in: no declared source (the exposure\'s namespace) reaches the fleet port', () => {
    const clusters = liveClusters();
    const policy = find(clusters.get(HUB)!, 'NetworkPolicy', 'silo-federation-aggregator', 'allow-fleet-ingress');
    const rule = (policy.spec as { ingress: Array<{ from: unknown[] }> }).ingress[0];
    rule.from = rule.from.filter(peer => !JSON.stringify(peer).includes('ingress-nginx'));
    const r = result(evaluate(clusters), 'NET-04', HUB, 'silo-federation-aggregator');
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/participants in clusters hospital-a, hospital-b cannot come in/);
  });
});
