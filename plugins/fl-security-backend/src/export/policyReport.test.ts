import { mockServices } from '@backstage/backend-test-utils';
import { loadClientNode } from '../kube/clientNode';
import { ClusterSnapshot, KubeObject } from '../reader/engineTypes';
import { FederationRead } from '../reader/federationReader';
import { base64, createTestCertificate } from '../__testUtils__/certs';
import { FakeKubeApi, FakeKubeApiOptions } from '../__testUtils__/fakeKubeApi';
import { RecordedAuditEvent, recordingAuditor } from '../__testUtils__/auditor';
import { OWNER } from '../__testUtils__/federationFixture';
import { makeReport } from '../__testUtils__/reports';
import {
  MAX_POLICY_REPORT_RESULTS,
  PolicyReportExporter,
  policyReportName,
  toPolicyReport,
} from './policyReport';

const TOKEN = 'export-token-1234';
const serverCert = createTestCertificate({
  commonName: 'kube-apiserver',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
});
const namespace = (name: string, role?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: role ? { 'fl-security/role': role } : {} },
});
const target = { federation: 'fl-demo', labelSelector: 'x=y', owner: OWNER };
const NAME = policyReportName(OWNER.entityRef);

/** What a read of cluster `c` found: the namespaces and which were bound. */
function readOf(
  cluster: string,
  namespaces: Array<{ name: string; role?: string; bound: boolean }>,
): Pick<FederationRead, 'snapshots' | 'scope'> {
  const snapshot: ClusterSnapshot = {
    cluster,
    objects: namespaces
      .filter(n => n.bound)
      .map(n => namespace(n.name, n.role)),
    gaps: [],
  };
  return {
    snapshots: [snapshot],
    scope: namespaces.map(n => ({
      cluster,
      namespace: n.name,
      status: n.bound ? 'pass' : 'skip',
      message: '',
    })),
  };
}

describe('PolicyReport export', () => {
  beforeAll(() => loadClientNode(), 60_000);

  let logger: ReturnType<typeof mockServices.logger.mock>;
  let auditor: ReturnType<typeof mockServices.auditor.mock>;
  let events: RecordedAuditEvent[];

  async function withApi(
    options: Partial<FakeKubeApiOptions>,
    test: (api: FakeKubeApi, exporter: PolicyReportExporter) => Promise<void>,
  ) {
    const api = await new FakeKubeApi({
      token: TOKEN,
      crdGroups: ['wgpolicyk8s.io'],
      tls: serverCert,
      ...options,
    }).start();
    try {
      const exporter = new PolicyReportExporter(
        [
          {
            name: 'aggregator-cluster',
            source: {
              type: 'serviceAccount',
              url: api.url,
              token: TOKEN,
              caData: base64(serverCert.caPem),
              skipTLSVerify: false,
            },
          },
        ],
        { logger, auditor, timeoutMs: 5_000 },
      );
      await test(api, exporter);
    } finally {
      await api.stop();
    }
  }

  beforeEach(() => {
    logger = mockServices.logger.mock();
    ({ mock: auditor, events } = recordingAuditor());
  });

  it('maps results worst first, capped, with the summary of this cluster', () => {
    const report = makeReport({
      statuses: [...Array(MAX_POLICY_REPORT_RESULTS + 10).fill('pass'), 'fail'],
    });
    report.results.push({
      ...report.results[0],
      status: 'warn',
      resource: { ...report.results[0].resource, cluster: 'other-cluster' },
    });
    const policyReport = toPolicyReport(report, {
      cluster: 'aggregator-cluster',
      namespace: 'fl-agg',
      entityRef: 'Component:team-a/My_Fed',
    });
    expect(policyReport.metadata).toEqual({
      name: policyReportName('component:team-a/my_fed'),
      namespace: 'fl-agg',
      labels: {
        'app.kubernetes.io/managed-by': 'fl-security',
        'fl-security/federation': 'fl-demo',
        'fl-security/entity-kind': 'component',
        'fl-security/entity-namespace': 'team-a',
        'fl-security/entity-name': 'my_fed',
      },
      annotations: {
        'fl-security/entity-ref': 'Component:team-a/My_Fed',
        'fl-security/generated-at': '2026-08-01T12:00:00.000Z',
      },
    });
    expect(policyReport.summary).toEqual({
      pass: 510,
      fail: 1,
      warn: 0,
      error: 0,
      skip: 0,
    });
    expect(policyReport.results).toHaveLength(MAX_POLICY_REPORT_RESULTS);
    expect(policyReport.results[0]).toEqual({
      policy: 'fl-security',
      rule: 'FLS-TEST-510',
      result: 'fail',
      severity: 'high',
      category: 'fl-security',
      source: 'fl-security',
      message: 'result 510',
      timestamp: { seconds: 1785585600, nanos: 0 },
      resources: [
        {
          kind: 'Deployment',
          name: 'fl-demo-aggregator',
          namespace: 'fl-demo-aggregator',
        },
      ],
      properties: { remediation: 'none' },
    });
  });

  it('names reports after the entity, so a shared kubernetes-id never collides', () => {
    const a = policyReportName('component:team-a/fed');
    const b = policyReportName('component:team-b/fed');
    expect(a).toMatch(/^fl-security-component-team-a-fed-[0-9a-f]{10}$/);
    expect(b).not.toBe(a);
    // Case does not make another entity; punctuation does.
    expect(policyReportName('Component:Team-A/Fed')).toBe(a);
    expect(policyReportName('component:team-a/f_e.d')).not.toBe(
      policyReportName('component:team-a/f-e-d'),
    );
    expect(
      policyReportName(`component:default/${'x'.repeat(63)}`).length,
    ).toBeLessThanOrEqual(253);
  });

  it('applies into the bound aggregator namespace without force, and audits it', async () => {
    await withApi({}, async (api, exporter) => {
      await exporter.export(
        target,
        makeReport({ statuses: ['fail', 'pass'] }),
        readOf('aggregator-cluster', [
          { name: 'fl-agg', role: 'aggregator', bound: true },
        ]),
      );
      const patch = api.requests.find(r => r.method === 'PATCH')!;
      expect(patch.path).toBe(
        `/apis/wgpolicyk8s.io/v1alpha2/namespaces/fl-agg/policyreports/${NAME}`,
      );
      expect(patch.query).toEqual({ fieldManager: 'fl-security' });
      const stored = api.objects.find(o => o.kind === 'PolicyReport')!;
      expect(stored.summary).toEqual({
        pass: 1,
        fail: 1,
        warn: 0,
        error: 0,
        skip: 0,
      });
      expect(logger.warn).not.toHaveBeenCalled();
      expect(events).toEqual([
        {
          eventId: 'policy-report-write',
          meta: {
            entityRef: OWNER.entityRef,
            cluster: 'aggregator-cluster',
            namespace: 'fl-agg',
            name: NAME,
          },
          outcome: 'success',
        },
      ]);
    });
  });

  it('writes only into namespaces bound to the entity', async () => {
    await withApi({}, async (api, exporter) => {
      // The entity's first annotated namespace belongs to someone else.
      await exporter.export(
        { ...target, namespaces: ['victim', 'fl-agg'] },
        makeReport(),
        readOf('aggregator-cluster', [
          { name: 'victim', role: 'aggregator', bound: false },
          { name: 'fl-agg', role: 'aggregator', bound: true },
        ]),
      );
      expect(
        api.requests.filter(r => r.method === 'PATCH').map(r => r.path),
      ).toEqual([
        `/apis/wgpolicyk8s.io/v1alpha2/namespaces/fl-agg/policyreports/${NAME}`,
      ]);
    });
    events.length = 0;
    await withApi({}, async (api, exporter) => {
      // Nothing bound: nothing written.
      await exporter.export(
        { ...target, namespaces: ['victim'] },
        makeReport(),
        readOf('aggregator-cluster', [
          { name: 'victim', role: 'aggregator', bound: false },
        ]),
      );
      expect(api.requests).toEqual([]);
      expect(events).toEqual([]);
    });
  });

  it('never takes over fields another field manager owns', async () => {
    await withApi({ applyConflicts: [NAME] }, async (api, exporter) => {
      await exporter.export(
        target,
        makeReport(),
        readOf('aggregator-cluster', [
          { name: 'fl-agg', role: 'aggregator', bound: true },
        ]),
      );
      expect(api.requests.map(r => r.query.force)).toEqual([undefined]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/another field manager owns fields of it/),
      );
      expect(events[0].outcome).toMatch(/^fail: .*never forces an apply/);
    });
  });

  it.each([
    [{ crdGroups: [] }, /CRD \(wgpolicyk8s.io\/v1alpha2\) is not installed/],
    [
      { forbidden: ['patch policyreports fl-agg'] },
      /missing permission: patch policyreports in fl-agg/,
    ],
  ])(
    'warns when the CRD is missing or access is denied (%o)',
    async (options, expected) => {
      await withApi(options, async (_api, exporter) => {
        await exporter.export(
          target,
          makeReport(),
          readOf('aggregator-cluster', [
            { name: 'fl-agg', role: 'aggregator', bound: true },
          ]),
        );
        expect(logger.warn).toHaveBeenCalledWith(
          expect.stringMatching(expected),
        );
      });
    },
  );
});
