/*
 * The reader and the engine against a real kube-apiserver (packages/
 * test-cluster; binaries from scripts/ensure-test-cluster.sh): a federation
 * made by the generator, certificates issued like cert-manager would, and the
 * portal's access limited to the RBAC the generator ships.
 */
import { Entity } from '@backstage/catalog-model';
import {
  FL_SECURITY_NAMESPACES_ANNOTATION,
  ROLE_LABEL,
} from '@fl-security/plugin-fl-security-common';
import {
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
import { ClusterSpec } from './config/clusters';
import { scanTargetForEntity } from './entity/scanTarget';
import { loadClientNode } from './kube/clientNode';
import { FederationReader } from './reader/federationReader';

jest.setTimeout(180_000);

/** The generator's default portal service account, as a token user. */
const PORTAL_USER = 'system:serviceaccount:backstage:backstage';

describe('reading a generated federation from a real API server', () => {
  let cluster: TestCluster;
  let entity: Entity;
  let namespaces: { aggregator: string; participants: string[] };

  beforeAll(async () => {
    await loadClientNode();
    cluster = await startTestCluster({
      crds: {
        certManager: true,
        gatewayApi: 'standard',
        istio: false,
        vaultSecretsOperator: false,
      },
      users: [{ name: PORTAL_USER }],
    });
    const generated = generateFromInput({
      name: 'fl-it',
      participants: [{ name: 'site-a' }, { name: 'site-b' }],
      network: { exposure: 'ingress-nginx', externalHost: 'fl.example.com' },
    });
    if (!generated.ok) throw new Error(generated.errors.join('; '));
    const docs: any[] = generated.files
      .filter(f => f.path.startsWith('deploy/') && f.path.endsWith('.yaml'))
      .flatMap(f => parseManifests(f.content))
      .filter((d: any) => !String(d.apiVersion).startsWith('kustomize.'));
    const namespaceDocs = docs.filter((d: any) => d.kind === 'Namespace');
    // Namespaces the project uses but does not own (cert-manager's).
    const declared = new Set(namespaceDocs.map((d: any) => d.metadata.name));
    const others = [...new Set<string>(docs.map(d => d.metadata.namespace))]
      .filter(name => Boolean(name) && !declared.has(name))
      .map(name => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      }));
    await mustApply([...namespaceDocs, ...others]);
    await mustApply(docs);
    const { notIssued } = await issueCertificates(cluster);
    if (notIssued.length > 0) {
      throw new Error(`certificates not issued: ${JSON.stringify(notIssued)}`);
    }

    const roleOf = (d: any) => d.metadata.labels?.[ROLE_LABEL];
    namespaces = {
      aggregator: namespaceDocs.find((d: any) => roleOf(d) === 'aggregator')
        .metadata.name,
      participants: namespaceDocs
        .filter((d: any) => roleOf(d) === 'participant')
        .map((d: any) => d.metadata.name),
    };
    entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'fl-it',
        annotations: {
          ...generated.annotations,
          [FL_SECURITY_NAMESPACES_ANNOTATION]:
            namespaces.participants.join(','),
        },
      },
      spec: { type: 'federated-learning' },
    };
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function mustApply(objects: any[]) {
    const failures = describeFailures(await applyManifests(cluster, objects));
    if (failures)
      throw new Error(`applying the manifests failed:\n${failures}`);
  }

  function readerAs(token: string) {
    const clusters: ClusterSpec[] = [
      testClusterSpec('test-cluster', cluster, token),
    ];
    return new FederationReader(clusters, {
      clusterTimeoutMs: 30_000,
      concurrency: 6,
    });
  }

  it('reads everything the engine needs with the generated RBAC alone', async () => {
    const read = await readerAs(cluster.tokens[PORTAL_USER]).read(
      scanTargetForEntity(entity),
    );
    expect(read.errors).toEqual([]);
    const [snapshot] = read.snapshots;
    // No permission is missing; only the skips by design remain.
    expect(snapshot.gaps.filter(g => g.status === 'error')).toEqual([]);
    for (const gap of snapshot.gaps) {
      expect(gap.reason).toMatch(/not read by design|is not installed/);
    }
    const kinds = new Set(snapshot.objects.map(o => o.kind));
    for (const kind of [
      'Namespace',
      'Deployment',
      'Service',
      'NetworkPolicy',
      'Ingress',
      'Certificate',
      'Secret',
    ]) {
      expect(kinds).toContain(kind);
    }
    const namespacesRead = snapshot.objects
      .filter(o => o.kind === 'Namespace')
      .map(o => o.metadata.name)
      .sort();
    expect(namespacesRead).toEqual(
      [namespaces.aggregator, ...namespaces.participants].sort(),
    );
    // Every namespace is bound to the entity by the generated manifests.
    expect(read.scope.map(s => `${s.namespace} ${s.status}`).sort()).toEqual(
      namespacesRead.map(ns => `${ns} pass`),
    );
    // List items come back without kind/apiVersion: the reader restores them.
    expect(snapshot.objects.every(o => o.apiVersion && o.kind)).toBe(true);
    expect(read.sensitiveValues.length).toBeGreaterThan(0);

    const report = evaluateFederation({
      snapshots: read.snapshots,
      now: new Date(),
      federation: 'fl-it',
    });
    expect(report.errors).toEqual([]);
    expect(report.results.length).toBeGreaterThan(20);
    // Deployed as generated, the federation is compliant: nothing fails and
    // nothing is unknown (skips: CA key by design, no mesh installed,
    // passthrough without an ingress Secret).
    expect(report.summary.fail).toBe(0);
    expect(report.summary.error).toBe(0);
    const participantWorkloads = report.results.filter(
      r =>
        r.resource.kind === 'Deployment' &&
        namespaces.participants.includes(r.resource.namespace ?? ''),
    );
    expect(participantWorkloads.length).toBeGreaterThan(0);
    expect(report.certificates.length).toBeGreaterThan(0);
    const text = JSON.stringify(report);
    expect(text).not.toContain('PRIVATE KEY');
    for (const value of read.sensitiveValues) {
      expect(text).not.toContain(value);
    }
  });

  it('reads nothing where it cannot verify the binding, and names the permission', async () => {
    const read = await readerAs(cluster.restrictedToken).read(
      scanTargetForEntity(entity),
    );
    expect(read.errors).toEqual([]);
    const all = [namespaces.aggregator, ...namespaces.participants].sort();
    const missing = read.snapshots[0].gaps
      .filter(g => g.status === 'error')
      .map(g => g.missingPermission)
      .sort();
    expect(missing).toEqual(all.map(ns => `get namespaces/${ns}`).sort());
    expect(read.scope.map(s => `${s.namespace} ${s.status}`).sort()).toEqual(
      all.map(ns => `${ns} error`),
    );
    // Not even an attempt to list inside them.
    expect(read.snapshots[0].objects).toEqual([]);
    expect(read.sensitiveValues).toEqual([]);
  });
});
