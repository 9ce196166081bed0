import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { loadClientNode } from '../kube/clientNode';
import { FederationReader } from '../reader/federationReader';
import { ReportStore } from '../store/ReportStore';
import { base64, createTestCertificate } from '../__testUtils__/certs';
import { FakeKubeApi } from '../__testUtils__/fakeKubeApi';
import {
  AGG_NS,
  aggregatorCertificate,
  federationObjects,
  TLS_SECRET,
} from '../__testUtils__/federationFixture';
import { makeReport } from '../__testUtils__/reports';
import { Evaluate, ReportService } from './ReportService';

jest.setTimeout(30_000);

const TOKEN = 'svc-token-123456';
const serverCert = createTestCertificate({
  commonName: 'kube-apiserver',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
});
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const NOW = new Date('2026-08-01T12:00:00.000Z');

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fl-demo',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-namespace': AGG_NS },
  },
  spec: { type: 'federated-learning' },
};

describe('ReportService', () => {
  let api: FakeKubeApi;
  beforeAll(async () => {
    await loadClientNode();
    api = await new FakeKubeApi({
      token: TOKEN,
      objects: federationObjects(),
      crdGroups: ['cert-manager.io'],
      forbidden: [`list configmaps ${AGG_NS}`],
      tls: serverCert,
    }).start();
  }, 60_000);
  afterAll(() => api.stop());

  async function createService(evaluate: Evaluate) {
    const knex = await databases.init('SQLITE_3');
    const store = await ReportStore.create({ getClient: async () => knex }, 5);
    const reader = new FederationReader(
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
        { name: 'gke', error: "auth provider 'google' is not supported" },
      ],
      { clusterTimeoutMs: 5_000, concurrency: 4 },
    );
    const service = new ReportService({
      reader,
      evaluate,
      store,
      logger: mockServices.logger.mock(),
      thresholds: { expiryWarnDays: 30, expiryFailDays: 14 },
      now: () => NOW,
    });
    return { service, store };
  }

  it('passes the snapshots, clock, thresholds and federation to the engine', async () => {
    const evaluate = jest.fn<ComplianceReport, Parameters<Evaluate>>(() =>
      makeReport({ generatedAt: NOW.toISOString() }),
    );
    const { service, store } = await createService(evaluate);
    await service.scan(entity);

    expect(evaluate).toHaveBeenCalledTimes(1);
    const input = evaluate.mock.calls[0][0];
    expect(input.federation).toBe('fl-demo');
    expect(input.now).toEqual(NOW);
    expect(input.thresholds).toEqual({
      expiryWarnDays: 30,
      expiryFailDays: 14,
    });
    expect(input.snapshots.map(s => s.cluster)).toEqual(['aggregator-cluster']);
    const secret = input.snapshots[0].objects.find(
      o => o.metadata.name === TLS_SECRET,
    );
    expect(secret?.data).toBeDefined();
    expect(await store.latest('component:default/fl-demo')).toBeDefined();
  });

  it('adds cluster errors and missing permissions to the report', async () => {
    const { service } = await createService(() => makeReport());
    const report = await service.scan(entity);
    expect(report.errors).toEqual([
      { cluster: 'gke', message: "auth provider 'google' is not supported" },
      {
        cluster: 'aggregator-cluster',
        message: expect.stringMatching(
          /^ConfigMap fl-demo-aggregator: forbidden: /,
        ),
        missingPermission: `list configmaps in ${AGG_NS}`,
      },
    ]);
  });

  it('withholds a report that carries key material (fail closed)', async () => {
    const leakyEngine: Evaluate = ({ snapshots }) => {
      const secret = snapshots[0].objects.find(
        o => o.metadata.name === TLS_SECRET,
      )!;
      const report = makeReport();
      report.results[0].message = `key is ${(secret.data as any)['tls.key']}`;
      return report;
    };
    const { service, store } = await createService(leakyEngine);
    const report = await service.scan(entity);
    const text = JSON.stringify(report);
    expect(text).not.toContain(base64(aggregatorCertificate().keyPem));
    expect(report.results).toEqual([]);
    expect(report.errors).toEqual([
      {
        cluster: '-',
        message:
          'report withheld: it contained key material (a defect, please report it)',
      },
    ]);
    expect(
      JSON.stringify(await store.latest('component:default/fl-demo')),
    ).not.toContain(base64(aggregatorCertificate().keyPem));
  });

  it('withholds a report with a PEM private key even if decoded', async () => {
    const { service } = await createService(() => {
      const report = makeReport();
      report.results[1].message = aggregatorCertificate().keyPem;
      return report;
    });
    const report = await service.scan(entity);
    expect(report.results).toEqual([]);
    expect(JSON.stringify(report)).not.toContain('PRIVATE KEY');
  });

  it('reports an engine failure as an error, never as a pass', async () => {
    const { service } = await createService(() => {
      throw new Error('rule NET-04 crashed');
    });
    const report = await service.scan(entity);
    expect(report.results).toEqual([]);
    expect(report.errors[0]).toEqual({
      cluster: '-',
      message: 'the compliance engine failed: rule NET-04 crashed',
    });
  });

  it('runs one scan for concurrent requests of the same entity', async () => {
    const evaluate = jest.fn(() => makeReport());
    const { service, store } = await createService(evaluate);
    const [a, b] = await Promise.all([
      service.scan(entity),
      service.scan(entity),
    ]);
    expect(a).toBe(b);
    expect(evaluate).toHaveBeenCalledTimes(1);
    expect(await store.history('component:default/fl-demo')).toHaveLength(1);
  });
});
