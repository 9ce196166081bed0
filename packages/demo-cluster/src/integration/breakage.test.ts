/**
 * Issue 7, part 3: break a generated federation one thing at a time in a
 * real API server and check that the compliance backend (reading as the
 * portal's ServiceAccount) flags exactly the rules that guard that thing.
 * Each case seeds its own copy of the example federation (own name, own
 * namespaces) into one shared API server, checks it is clean, breaks it and
 * scans again.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import {
  issueCertificates,
  IssueCertificatesOptions,
  startTestCluster,
  TestCluster,
} from '@fl-security/test-cluster';
import { requestServiceAccountToken, seedFederation } from '../seedFederation';
import {
  adminChange,
  jsonPatch,
  mergePatch,
} from './__testUtils__/adminRequests';
import {
  federationEntity,
  renamedExampleSpec,
} from './__testUtils__/federations';
import {
  PortalBackend,
  startPortalBackend,
} from './__testUtils__/portalBackend';
import { problems, resultFor } from './__testUtils__/reports';

jest.setTimeout(180_000);

const DAY_MS = 86_400_000;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const CASES = [
  'no-default-deny',
  'allow-all',
  'expired-cert',
  'san-mismatch',
  'tls-terminated',
  'insecure',
] as const;
type Case = (typeof CASES)[number];
const specs = Object.fromEntries(
  CASES.map(name => [name, renamedExampleSpec(name)]),
) as Record<Case, ReturnType<typeof renamedExampleSpec>>;

describe('breaking a generated federation one thing at a time', () => {
  let cluster: TestCluster;
  let backend: PortalBackend;

  beforeAll(async () => {
    cluster = await startTestCluster({ name: 'integration-breakage' });
    // The portal's ServiceAccount (the same for every federation); each
    // seed adds only that federation's generated RBAC for it.
    const token = await requestServiceAccountToken(
      cluster,
      'backstage',
      'backstage',
      3600,
    );
    backend = await startPortalBackend({
      clusters: [
        { name: 'demo', url: cluster.server, caPem: cluster.caPem, token },
      ],
      entities: CASES.map(name => federationEntity(specs[name])),
      databases,
    });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Seeds the case's federation, checks it is clean, breaks it, rescans. */
  async function breakOneThing(
    name: Case,
    breakIt: () => Promise<void>,
  ): Promise<ComplianceReport> {
    await seedFederation(cluster, specs[name]);
    const before = await backend.report(name);
    expect(before.report.errors).toEqual([]);
    expect(problems(before.report)).toEqual([]);

    await breakIt();
    const { report } = await backend.report(name);
    expect(report.errors).toEqual([]);
    return report;
  }

  /** Re-issues the SuperLink's certificate (signed by the federation CA) with changes. */
  async function swapSuperlinkCertificate(
    namespace: string,
    change: IssueCertificatesOptions['override'],
  ) {
    const { issued, notIssued } = await issueCertificates(cluster, {
      namespaces: [namespace],
      override: change,
    });
    expect(notIssued).toEqual([]);
    expect(issued.map(c => c.name)).toEqual(['superlink-tls']);
  }

  it('deleting a default-deny policy un-isolates the site (NET-02) and NET-01 flags the namespace', async () => {
    const site = specs['no-default-deny'].participants[0].namespace;
    const report = await breakOneThing('no-default-deny', () =>
      adminChange(
        cluster,
        'DELETE',
        `/apis/networking.k8s.io/v1/namespaces/${site}/networkpolicies/default-deny`,
      ),
    );
    // allow-dns (podSelector: {}, Egress, DNS only) still denies egress by
    // default, so NET-01 warns about the missing ingress half rather than
    // failing; the SuperNode, which no policy now selects for ingress,
    // fails NET-02.
    expect(problems(report)).toEqual([
      `NET-01 warn Namespace ${site}`,
      `NET-02 fail Deployment ${site}/supernode`,
    ]);
    expect(resultFor(report, 'NET-01', site).message).toContain(
      'nothing denies ingress by default',
    );
  });

  it('an allow-all NetworkPolicy fails NET-03 and opens the aggregator to anyone (NET-04)', async () => {
    const ns = specs['allow-all'].aggregator.namespace;
    const report = await breakOneThing('allow-all', () =>
      adminChange(
        cluster,
        'POST',
        `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'allow-all', namespace: ns },
          spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] },
        },
      ),
    );
    // The allow-all reopens ingress for every pod: the default-deny no
    // longer holds (NET-01 judges the namespace's effective policy).
    expect(problems(report)).toEqual([
      `NET-01 warn Namespace ${ns}`,
      `NET-03 fail NetworkPolicy ${ns}/allow-all`,
      `NET-04 fail Deployment ${ns}/superlink`,
    ]);
    expect(resultFor(report, 'NET-01', ns).message).toContain('allow-all');
    expect(resultFor(report, 'NET-04', 'superlink').message).toContain(
      'any source (via',
    );
  });

  it('an expired SuperLink certificate fails CERT-02 (and its Certificate is not Ready, CERT-01)', async () => {
    const ns = specs['expired-cert'].aggregator.namespace;
    const now = Date.now();
    const report = await breakOneThing('expired-cert', () =>
      swapSuperlinkCertificate(ns, () => ({
        notBefore: new Date(now - 100 * DAY_MS),
        notAfter: new Date(now - 10 * DAY_MS),
      })),
    );
    // Participants validate the path at the scan's clock: CERT-06 fails too.
    expect(problems(report)).toEqual([
      `CERT-01 fail Certificate ${ns}/superlink-tls`,
      `CERT-02 fail Secret ${ns}/superlink-tls`,
      `CERT-06 fail Secret ${ns}/superlink-tls`,
    ]);
    expect(resultFor(report, 'CERT-06', 'superlink-tls').message).toContain(
      'expired on',
    );
    expect(resultFor(report, 'CERT-02', 'superlink-tls').message).toContain(
      'expired on',
    );
  });

  it('a certificate without the external host fails CERT-05 and ING-02', async () => {
    const ns = specs['san-mismatch'].aggregator.namespace;
    const report = await breakOneThing('san-mismatch', () =>
      swapSuperlinkCertificate(ns, () => ({
        // Every in-cluster name, but not fl.example.com.
        dnsNames: [
          `superlink.${ns}.svc`,
          `superlink.${ns}.svc.cluster.local`,
          `superlink.${ns}`,
          'superlink',
        ],
      })),
    );
    expect(problems(report)).toEqual([
      `CERT-05 fail Deployment ${ns}/superlink`,
      `ING-02 fail Ingress ${ns}/superlink`,
    ]);
    for (const rule of ['CERT-05', 'ING-02']) {
      expect(resultFor(report, rule, 'superlink').message).toContain(
        'does not cover fl.example.com',
      );
    }
  });

  it('terminating TLS at the Ingress fails ING-05', async () => {
    const ns = specs['tls-terminated'].aggregator.namespace;
    const report = await breakOneThing('tls-terminated', () =>
      adminChange(
        cluster,
        'PATCH',
        `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/superlink`,
        {
          metadata: {
            annotations: {
              'nginx.ingress.kubernetes.io/ssl-passthrough': null,
            },
          },
          // A valid certificate for the host: only the termination is wrong.
          spec: {
            tls: [{ hosts: ['fl.example.com'], secretName: 'superlink-tls' }],
          },
        },
        mergePatch,
      ),
    );
    expect(problems(report)).toEqual([`ING-05 fail Ingress ${ns}/superlink`]);
    expect(resultFor(report, 'ING-05', 'superlink').message).toContain(
      'TLS is not end to end',
    );
  });

  it('--insecure on the SuperLink fails FL-01 (and node authentication, FL-02)', async () => {
    const ns = specs.insecure.aggregator.namespace;
    const report = await breakOneThing('insecure', () =>
      adminChange(
        cluster,
        'PATCH',
        `/apis/apps/v1/namespaces/${ns}/deployments/superlink`,
        [
          {
            op: 'add',
            path: '/spec/template/spec/containers/0/args/-',
            value: '--insecure',
          },
        ],
        jsonPatch,
      ),
    );
    expect(problems(report)).toEqual([
      `FL-01 fail Deployment ${ns}/superlink`,
      `FL-02 fail Deployment ${ns}/superlink`,
    ]);
    expect(resultFor(report, 'FL-01', 'superlink').message).toContain(
      '--insecure',
    );
  });
});
