/**
 * A cross-silo federation's bundles against the engine offline, each as its
 * own cluster would hold it (and through the CLI, as the generated repo's CI
 * runs it). A site bundle holds no aggregator: its SuperNode's annotations
 * name the aggregator's cluster, so NET-04 (who reaches the aggregator) and
 * NET-05 (is the site's egress only the aggregator's external entry) skip
 * there, saying why; without that marker NET-04 stays an error.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComplianceReport, FederationSpecInput } from '@fl-security/plugin-fl-security-common';
import { runCheck } from '../cli/check';
import { clusterBundleObjects, generateFromInput, parseSpecText, writeGeneratedFiles } from '../generator';
import { crossSiloSpec, withDigests } from '../generator/__testUtils__/specs';
import { evaluateFederations } from './evaluate';
import { issueFromCertificates } from './__testUtils__/issueFromSpecs';
import type { KubeObject } from './types';

function bundles(input: unknown) {
  const result = generateFromInput(input);
  if (!result.ok) throw new Error(result.errors.join('; '));
  const byCluster = clusterBundleObjects(result.files) as Map<string, KubeObject[]>;
  return { files: result.files, byCluster };
}

/** The issued CA certificate (the Secret of the CA Certificate) as PEM. */
function issuedCa(issued: KubeObject[]): string {
  for (const secret of issued) {
    const pem = Buffer.from(String((secret.data as Record<string, string>)['tls.crt']), 'base64').toString('utf8');
    if (new X509Certificate(pem).ca) return pem;
  }
  throw new Error('no CA was issued');
}

function withCaBundle(spec: unknown, pem: string): unknown {
  const copy = structuredClone(spec) as { tls?: Record<string, unknown> };
  copy.tls = { ...copy.tls, caBundle: [Buffer.from(pem).toString('base64')] };
  return copy;
}

function evaluate(objects: KubeObject[]): ComplianceReport {
  const reports = evaluateFederations({ snapshots: [{ objects, gaps: [] }], now: new Date() });
  expect(reports).toHaveLength(1);
  return reports[0];
}

const notPassing = (report: ComplianceReport, statuses: string[]) =>
  report.results
    .filter(r => statuses.includes(r.status))
    .map(r => `${r.ruleId} ${r.status} ${r.resource.kind} ${r.resource.namespace ?? ''}/${r.resource.name}: ${r.message}`);

const SITE_SKIPS = [
  /^NET-04 skip Deployment .+\/supernode: Federation \S+ has no aggregator here: its participants name cluster \S+ as the aggregator's/,
  /^NET-05 skip Deployment .+\/supernode: Cannot tell whether Deployment .+ in cluster \S+ connects only to the aggregator: the aggregator runs in cluster \S+, which was not checked with this one/,
];

/** The site's objects without the generator's cluster annotations. */
function unmarked(objects: KubeObject[]): KubeObject[] {
  return structuredClone(objects).map(object => {
    const annotations = object.metadata.annotations ?? {};
    delete annotations['fl-security/aggregator-cluster'];
    delete annotations['fl-security/cluster'];
    return object;
  });
}

const example = parseSpecText(
  readFileSync(join(__dirname, '..', '..', '..', '..', 'examples', 'federation-cross-silo.yaml'), 'utf8'),
);

describe.each([
  // Images pinned by digest, so IMG-01 passes and every warning here is news.
  ['the test spec (two site clusters, trust-manager, a local site)', withDigests(crossSiloSpec), 'hub'],
  ['examples/federation-cross-silo.yaml', example.ok ? withDigests(example.value as FederationSpecInput) : undefined, 'fl-hub'],
])('bundles of %s against the engine', (_label, spec, hubName) => {
  const { files, byCluster } = bundles(spec);
  const hub = byCluster.get(hubName)!;
  const sites = [...byCluster.keys()].filter(name => name !== hubName);

  it('has an aggregator bundle and two site bundles', () => {
    expect(hub).toBeDefined();
    expect(sites).toHaveLength(2);
  });

  it('passes every rule in the aggregator bundle, certificates issued', () => {
    const report = evaluate([...hub, ...issueFromCertificates(hub)]);
    expect(notPassing(report, ['fail', 'warn', 'error'])).toEqual([]);
  });

  it.each(sites)('site %s alone: no fail, warn or error; NET-04 and NET-05 skip (the aggregator is in another cluster)', site => {
    const report = evaluate(byCluster.get(site)!);
    expect(notPassing(report, ['fail', 'warn', 'error'])).toEqual([]);
    const skips = notPassing(report, ['skip']).filter(line => /^NET-0[45] /.test(line));
    expect(skips.length).toBeGreaterThan(0);
    for (const line of skips) expect(SITE_SKIPS.some(pattern => pattern.test(line))).toBe(true);
    expect(new Set(skips.map(line => line.slice(0, 6)))).toEqual(new Set(['NET-04', 'NET-05']));
  });

  it.each(sites)('site %s alone without the cluster annotations: NET-04 cannot evaluate (error)', site => {
    const report = evaluate(unmarked(byCluster.get(site)!));
    const errors = notPassing(report, ['error']);
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line).toMatch(/^NET-04 error Deployment .+\/supernode: Federation \S+ has no aggregator .*reachability cannot be evaluated\.$/);
  });

  it.each(sites)('site %s alone, its egress open to a namespace of its own cluster: NET-05 fails without the aggregator', site => {
    const objects = structuredClone(byCluster.get(site)!);
    const policy = objects.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-fleet-egress')!;
    (policy.spec as { egress: unknown[] }).egress.push({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } }],
    });
    expect(notPassing(evaluate(objects), ['fail'])).toEqual([
      expect.stringMatching(new RegExp(`^NET-05 fail Deployment .+/supernode: .+ in cluster ${site} may connect beyond .*every pod of namespace default in cluster ${site}`)),
    ]);
  });

  // The sites trust tls.caBundle; an operator copies the CA the hub's cert-manager issued into it.
  const issued = issueFromCertificates(hub);
  const trusting = bundles(withCaBundle(spec, issuedCa(issued))).byCluster;

  it.each(sites)('site %s next to the aggregator bundle: nothing fails, warns or errors', site => {
    const report = evaluate([...hub, ...issued, ...trusting.get(site)!]);
    expect(notPassing(report, ['fail', 'warn', 'error'])).toEqual([]);
  });

  it.each(sites)('site %s trusting another CA than the hub issues from: CERT-06 fails', site => {
    const report = evaluate([...hub, ...issued, ...byCluster.get(site)!]);
    expect(notPassing(report, ['fail'])).toEqual([
      expect.stringMatching(/^CERT-06 fail Secret .*\/superlink-tls: .*chain does not verify to/),
    ]);
  });

  it('passes `fl-security check` per bundle as the generated CI runs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flsec-bundles-'));
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    try {
      await writeGeneratedFiles(dir, files);
      const bundleDir = (name: string) => join(dir, 'deploy', 'clusters', name);
      expect(await runCheck([bundleDir(hubName)], {}, quiet)).toBe(0);
      for (const site of sites) {
        // Alone it passes the default gate (NET-04 and NET-05 skip), and beside the aggregator.
        expect(await runCheck([bundleDir(site)], {}, quiet)).toBe(0);
        expect(await runCheck([bundleDir(hubName), bundleDir(site)], {}, quiet)).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
