import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ComplianceReport,
  overallStatus,
} from '@fl-security/plugin-fl-security-common';
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

  it('puts what was and was not read first, as SCOPE-01 results', async () => {
    const { service } = await createService(() => makeReport());
    const report = await service.scan({
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: { 'fl-security/namespaces': `${AGG_NS},other` },
      },
    });
    expect(report.results.slice(0, 2)).toEqual([
      expect.objectContaining({
        ruleId: 'SCOPE-01',
        status: 'pass',
        resource: {
          cluster: 'aggregator-cluster',
          kind: 'Namespace',
          name: AGG_NS,
        },
      }),
      expect.objectContaining({
        ruleId: 'SCOPE-01',
        status: 'skip',
        resource: {
          cluster: 'aggregator-cluster',
          kind: 'Namespace',
          name: 'other',
        },
        message: expect.stringMatching(/^Namespace other is not bound/),
      }),
    ]);
    expect(report.summary.skip).toBe(1);
  });
  it('gives a cluster that could not be read an error result (SCOPE-02) naming it and why; the rest of the report stands', async () => {
    const { service } = await createService(() =>
      makeReport({ statuses: ['pass'] }),
    );
    const report = await service.scan({
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: { 'fl-security/clusters': 'aggregator-cluster,gke,typo' },
      },
    });
    const byRule = (id: string) => report.results.filter(r => r.ruleId === id);
    expect(byRule('SCOPE-02')).toEqual([
      expect.objectContaining({
        status: 'error',
        resource: { cluster: 'typo', kind: 'Cluster', name: 'typo' },
        message: expect.stringMatching(
          /^Cluster typo was not read: cluster 'typo' .* is not configured in the portal/,
        ),
      }),
      expect.objectContaining({
        status: 'error',
        resource: { cluster: 'gke', kind: 'Cluster', name: 'gke' },
        message:
          "Cluster gke was not read: auth provider 'google' is not supported. Nothing in it (its sites, policies, certificates) was evaluated.",
      }),
    ]);
    expect(byRule('FLS-TEST-0').map(r => r.status)).toEqual(['pass']);
    expect(report.summary.error).toBe(2);
    expect(overallStatus(report.summary, report.errors.length)).toBe('unknown');
  });
  it('names each namespace the entity places in an unread cluster as not evaluated (error), not those of other clusters', async () => {
    const { service } = await createService(() =>
      makeReport({ statuses: ['pass'] }),
    );
    const report = await service.scan({
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          'fl-security/clusters': 'aggregator-cluster,gke',
          'fl-security/namespaces':
            'gke/site-b,gke/lab,aggregator-cluster/fl-agg',
        },
      },
    });
    expect(
      report.results
        .filter(r => r.ruleId === 'SCOPE-02')
        .map(r => [
          r.status,
          r.resource.kind,
          r.resource.cluster,
          r.resource.name,
        ]),
    ).toEqual([
      ['error', 'Cluster', 'gke', 'gke'],
      ['error', 'Namespace', 'gke', 'lab'],
      ['error', 'Namespace', 'gke', 'site-b'],
    ]);
    expect(
      report.results.find(
        r => r.ruleId === 'SCOPE-02' && r.resource.name === 'site-b',
      )?.message,
    ).toBe(
      "Namespace site-b in cluster gke was not evaluated: the cluster was not read (auth provider 'google' is not supported).",
    );
  });
});

describe('ReportService bounds', () => {
  /** A reader whose reads finish when the test says so. */
  function controlledReader() {
    const pending: Array<() => void> = [];
    let running = 0;
    let peak = 0;
    return {
      reads: 0,
      get peak() {
        return peak;
      },
      release: () => pending.splice(0).forEach(resolve => resolve()),
      async read() {
        this.reads += 1;
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>(resolve => pending.push(resolve));
        running -= 1;
        return { snapshots: [], errors: [], sensitiveValues: [], scope: [] };
      },
    };
  }

  const named = (name: string): Entity => ({
    ...entity,
    metadata: { name, namespace: 'default' },
  });

  async function service(
    reader: ReturnType<typeof controlledReader>,
    scans: Partial<ConstructorParameters<typeof ReportService>[0]['scans']>,
    clock = { now: NOW.getTime() },
  ) {
    const knex = await databases.init('SQLITE_3');
    const store = await ReportStore.create({ getClient: async () => knex }, 5);
    return new ReportService({
      reader,
      evaluate: () => makeReport(),
      store,
      logger: mockServices.logger.mock(),
      thresholds: { expiryWarnDays: 30, expiryFailDays: 14 },
      scans: {
        maxConcurrent: 2,
        maxQueued: 100,
        minIntervalMs: 60_000,
        perUserLimit: 100,
        perUserWindowMs: 60_000,
        ...scans,
      },
      now: () => new Date(clock.now),
    });
  }

  /** Lets pending promise callbacks run. */
  const settle = () => new Promise(resolve => setTimeout(resolve, 20));

  it('runs at most maxConcurrent scans at once; the others wait their turn', async () => {
    const reader = controlledReader();
    const svc = await service(reader, { maxConcurrent: 2 });
    const all = Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map(name =>
        svc.requestScan(named(name), 'user:default/u'),
      ),
    );
    await settle();
    expect(reader.reads).toBe(2);
    expect(svc.load()).toEqual({ running: 2, waiting: 3 });
    while (reader.reads < 5 || svc.load().running > 0) {
      reader.release();
      await settle();
    }
    const outcomes = await all;
    expect(outcomes.map(o => o.kind)).toEqual(Array(5).fill('scanned'));
    expect(reader.peak).toBe(2);
  });

  it('joins a running scan of the entity instead of starting another', async () => {
    const reader = controlledReader();
    const svc = await service(reader, {});
    const first = svc.requestScan(named('a'), 'user:default/u');
    await settle();
    const second = svc.requestScan(named('a'), 'user:default/v');
    await settle();
    reader.release();
    expect((await first).kind).toBe('scanned');
    expect((await second).kind).toBe('joined');
    expect(reader.reads).toBe(1);
  });

  it('refuses a scan inside the interval, from the stored report too', async () => {
    const reader = controlledReader();
    const clock = { now: NOW.getTime() };
    const svc = await service(reader, { minIntervalMs: 60_000 }, clock);
    const first = svc.requestScan(named('a'), 'user:default/u');
    await settle();
    reader.release();
    await first;
    clock.now += 15_000;
    const again = await svc.requestScan(named('a'), 'user:default/u');
    expect(again).toEqual({
      kind: 'throttled',
      reason: 'interval',
      retryAfterSeconds: 45,
      message: expect.stringMatching(/was scanned 15 s ago/),
    });
    expect(reader.reads).toBe(1);
    clock.now += 45_000;
    const later = svc.requestScan(named('a'), 'user:default/u');
    await settle();
    reader.release();
    expect((await later).kind).toBe('scanned');
  });

  it('refuses when every slot and the queue are taken', async () => {
    const reader = controlledReader();
    const svc = await service(reader, { maxConcurrent: 1, maxQueued: 1 });
    const running = svc.requestScan(named('a'), 'user:default/u');
    const queued = svc.requestScan(named('b'), 'user:default/u');
    await settle();
    expect(await svc.requestScan(named('c'), 'user:default/u')).toEqual({
      kind: 'busy',
      retryAfterSeconds: 10,
      message: expect.stringMatching(/1 scans are running and 1 waiting/),
    });
    while (svc.load().running + svc.load().waiting > 0) {
      reader.release();
      await settle();
    }
    await Promise.all([running, queued]);
    expect(reader.reads).toBe(2);
  });

  it('counts the scans a user starts in a sliding window', async () => {
    const reader = controlledReader();
    const clock = { now: NOW.getTime() };
    const svc = await service(
      reader,
      { perUserLimit: 2, perUserWindowMs: 60_000, minIntervalMs: 1 },
      clock,
    );
    const start = async (name: string, user: string) => {
      const outcome = svc.requestScan(named(name), user);
      await settle();
      reader.release();
      return outcome;
    };
    expect((await start('a', 'user:default/u')).kind).toBe('scanned');
    clock.now += 10_000;
    expect((await start('b', 'user:default/u')).kind).toBe('scanned');
    const third = await svc.requestScan(named('c'), 'user:default/u');
    expect(third).toEqual(
      expect.objectContaining({
        kind: 'throttled',
        reason: 'user',
        retryAfterSeconds: 50,
      }),
    );
    expect((await start('c', 'user:default/other')).kind).toBe('scanned');
    clock.now += 50_000;
    expect((await start('d', 'user:default/u')).kind).toBe('scanned');
  });
});
