import { kubeRequest, RESTRICTED_USER, startTestCluster, TestCluster } from './index';

jest.setTimeout(180_000);

describe('the audit log', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ name: 'audit-test', crds: false, auditLog: true });
  });
  afterAll(() => cluster?.stop());

  it('records who asked for which path, and when each request started and ended', async () => {
    const log = cluster.auditLog!;
    const mark = log.mark();
    const response = await kubeRequest(cluster, {
      path: '/api/v1/namespaces/kube-system/secrets',
      token: cluster.restrictedToken,
    });
    expect(response.status).toBe(403);
    await log.settle();
    const mine = log.since(mark).filter(e => e.user.username === RESTRICTED_USER);
    expect(mine.map(e => `${e.stage} ${e.verb} ${e.requestURI}`)).toEqual([
      'RequestReceived list /api/v1/namespaces/kube-system/secrets',
      'ResponseComplete list /api/v1/namespaces/kube-system/secrets',
    ]);
    expect(mine[1].responseStatus?.code).toBe(403);
    expect(Date.parse(mine[1].stageTimestamp)).toBeGreaterThanOrEqual(
      Date.parse(mine[0].stageTimestamp),
    );
    // Metadata level: no object bodies.
    expect(JSON.stringify(mine)).not.toMatch(/requestObject|responseObject/);
  });

  it('is absent unless asked for', async () => {
    const plain = await startTestCluster({ name: 'audit-off', crds: false });
    try {
      expect(plain.auditLog).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });
});
