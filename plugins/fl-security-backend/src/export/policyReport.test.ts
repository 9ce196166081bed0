import { mockServices } from '@backstage/backend-test-utils';
import { loadClientNode } from '../kube/clientNode';
import { base64, createTestCertificate } from '../__testUtils__/certs';
import { FakeKubeApi, FakeKubeApiOptions } from '../__testUtils__/fakeKubeApi';
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
const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'fl-agg', labels: { 'fl-security/role': 'aggregator' } },
};

describe('PolicyReport export', () => {
  beforeAll(() => loadClientNode(), 60_000);

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
    });
    expect(policyReport.metadata).toEqual(
      expect.objectContaining({
        name: 'fl-security-fl-demo',
        namespace: 'fl-agg',
      }),
    );
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
    expect(policyReportName('My_Fed')).toBe('fl-security-my-fed');
  });

  it('server-side applies the report into the aggregator namespace', async () => {
    const api = await new FakeKubeApi({
      token: TOKEN,
      crdGroups: ['wgpolicyk8s.io'],
      tls: serverCert,
    }).start();
    try {
      const logger = mockServices.logger.mock();
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
        { logger, timeoutMs: 5_000 },
      );
      await exporter.export(
        { federation: 'fl-demo', labelSelector: 'x=y', owner: OWNER },
        makeReport({ statuses: ['fail', 'pass'] }),
        [{ cluster: 'aggregator-cluster', objects: [namespace], gaps: [] }],
      );
      const patch = api.requests.find(r => r.method === 'PATCH')!;
      expect(patch.path).toBe(
        '/apis/wgpolicyk8s.io/v1alpha2/namespaces/fl-agg/policyreports/fl-security-fl-demo',
      );
      expect(patch.query).toEqual({
        fieldManager: 'fl-security',
        force: 'true',
      });
      const stored = api.objects.find(o => o.kind === 'PolicyReport')!;
      expect(stored.summary).toEqual({
        pass: 1,
        fail: 1,
        warn: 0,
        error: 0,
        skip: 0,
      });
      expect(logger.warn).not.toHaveBeenCalled();
    } finally {
      await api.stop();
    }
  });

  it('warns when the PolicyReport CRD is missing or access is denied', async () => {
    const cases: Array<[Partial<FakeKubeApiOptions>, RegExp]> = [
      [{ crdGroups: [] }, /CRD \(wgpolicyk8s.io\/v1alpha2\) is not installed/],
      [
        {
          crdGroups: ['wgpolicyk8s.io'],
          forbidden: ['patch policyreports fl-agg'],
        },
        /missing permission: patch policyreports in fl-agg/,
      ],
    ];
    for (const [options, expected] of cases) {
      const api = await new FakeKubeApi({
        token: TOKEN,
        tls: serverCert,
        ...options,
      }).start();
      try {
        const logger = mockServices.logger.mock();
        await new PolicyReportExporter(
          [
            {
              name: 'c',
              source: {
                type: 'serviceAccount',
                url: api.url,
                token: TOKEN,
                caData: base64(serverCert.caPem),
                skipTLSVerify: false,
              },
            },
          ],
          { logger, timeoutMs: 5_000 },
        ).export(
          { federation: 'fl-demo', labelSelector: 'x=y', owner: OWNER },
          makeReport(),
          [{ cluster: 'c', objects: [namespace], gaps: [] }],
        );
        expect(logger.warn).toHaveBeenCalledWith(
          expect.stringMatching(expected),
        );
      } finally {
        await api.stop();
      }
    }
  });
});
