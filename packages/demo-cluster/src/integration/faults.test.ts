/**
 * Issue 7, part 3, faults: an API server stopped in the middle of a scan,
 * and a portal ServiceAccount missing one permission. Two real API servers:
 * `steady` stays up, `doomed` is reached through a relay that stops it while
 * the backend is reading it.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { startTestCluster, TestCluster } from '@fl-security/test-cluster';
import { seedFederation, SeededFederation } from '../seedFederation';
import {
  editRoleRules,
  waitUntilForbidden,
} from './__testUtils__/adminRequests';
import {
  exampleSpec,
  federationEntity,
  renamedExampleSpec,
} from './__testUtils__/federations';
import {
  PortalBackend,
  startPortalBackend,
} from './__testUtils__/portalBackend';
import { problems, resultFor } from './__testUtils__/reports';
import { StoppingProxy } from './__testUtils__/stoppingProxy';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Client chunks (TLS records) relayed before `doomed` is stopped: past the
 * handshakes and first requests, far from the ~80 requests of a scan. */
const STOP_AFTER_CHUNKS = 20;

const PORTAL_ROLE = 'fl-security-portal-read';
const noNetworkPolicies = renamedExampleSpec('no-netpol-list');
const noSecretGet = renamedExampleSpec('no-secret-get');

describe('faults while reading clusters', () => {
  let steady: TestCluster;
  let doomed: TestCluster;
  let proxy: StoppingProxy;
  let seeded: SeededFederation;
  let backend: PortalBackend;

  beforeAll(async () => {
    [steady, doomed] = await Promise.all([
      startTestCluster({ name: 'integration-steady' }),
      startTestCluster({ name: 'integration-doomed' }),
    ]);
    // The same federation in both clusters: the entity reads both.
    seeded = await seedFederation(steady, exampleSpec());
    const doomedSeed = await seedFederation(doomed, exampleSpec());
    const target = new URL(doomed.server);
    proxy = new StoppingProxy(
      { host: target.hostname, port: Number(target.port) },
      STOP_AFTER_CHUNKS,
      () => doomed.stop(),
    );
    const proxyUrl = await proxy.start();

    const onSteadyOnly = [noNetworkPolicies, noSecretGet].map(spec => {
      const entity = federationEntity(spec);
      entity.metadata.annotations!['backstage.io/kubernetes-cluster'] =
        'steady';
      return entity;
    });
    backend = await startPortalBackend({
      clusters: [
        {
          name: 'steady',
          url: steady.server,
          caPem: steady.caPem,
          token: seeded.portalToken,
        },
        {
          name: 'doomed',
          url: proxyUrl,
          caPem: doomed.caPem,
          token: doomedSeed.portalToken,
        },
      ],
      entities: [federationEntity(seeded.spec), ...onSteadyOnly],
      databases,
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all([steady?.stop(), doomed?.stop()]);
  });

  it('an API server stopped mid-scan gives a partial report with a cluster error', async () => {
    const { report, overall } = await backend.report('demo-federation');

    // The relay held a request of the scan and stopped the server then.
    expect(proxy.triggered).toBe(true);
    expect(proxy.serverBytesAtTrigger).toBeGreaterThan(0);

    expect(report.errors).toEqual([
      { cluster: 'doomed', message: expect.any(String) },
    ]);
    // Nothing half-read from the stopped server is evaluated; the steady
    // cluster's federation is, in full.
    // The stopped cluster is one SCOPE-02 error result, not a silent gap.
    expect(report.results.length).toBeGreaterThan(50);
    expect(
      report.results.filter(r => r.resource.cluster !== 'steady'),
    ).toEqual([
      expect.objectContaining({
        ruleId: 'SCOPE-02',
        status: 'error',
        resource: { cluster: 'doomed', kind: 'Cluster', name: 'doomed' },
      }),
    ]);
    expect(problems(report)).toEqual(['SCOPE-02 error Cluster doomed']);
    // Fail closed: not "compliant" while a cluster could not be read.
    expect(overall).toBe('unknown');

    // Scanning again once the server is gone answers the same way.
    await proxy.whenStopped();
    const again = await backend.report('demo-federation');
    expect(again.report.errors).toEqual([
      { cluster: 'doomed', message: expect.any(String) },
    ]);
    expect(again.report.results.length).toBe(report.results.length);
    expect(again.overall).toBe('unknown');
  });

  it('without "list networkpolicies" the NetworkPolicy rules are errors naming it', async () => {
    const { portalToken } = await seedFederation(steady, noNetworkPolicies);
    const ns = noNetworkPolicies.aggregator.namespace;
    const before = await backend.report('no-netpol-list');
    expect(before.report.errors).toEqual([]);
    expect(problems(before.report)).toEqual([]);

    await editRoleRules(steady, ns, PORTAL_ROLE, rules =>
      rules.map(rule => ({
        ...rule,
        resources: rule.resources?.filter(r => r !== 'networkpolicies'),
      })),
    );
    await waitUntilForbidden(
      steady,
      portalToken,
      `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
    );

    const { report, overall } = await backend.report('no-netpol-list');
    const missing = `list networkpolicies in ${ns} (networking.k8s.io)`;
    expect(report.errors).toEqual([
      expect.objectContaining({
        cluster: 'steady',
        missingPermission: missing,
      }),
    ]);
    // Every rule that needs the aggregator's NetworkPolicies, and only those.
    expect(problems(report)).toEqual([
      `NET-01 error Namespace ${ns}`,
      `NET-02 error Deployment ${ns}/superlink`,
      `NET-04 error Deployment ${ns}/superlink`,
    ]);
    for (const result of [
      resultFor(report, 'NET-01', ns),
      resultFor(report, 'NET-02', 'superlink', ns),
      resultFor(report, 'NET-04', 'superlink', ns),
    ]) {
      expect(result.message).toContain(`missing permission: ${missing}`);
    }
    // The participant sites are still read and pass.
    for (const site of noNetworkPolicies.participants) {
      expect(resultFor(report, 'NET-01', site.namespace).status).toBe('pass');
    }
    expect(overall).toBe('unknown');
  });

  it('without "get" on the SuperLink TLS Secret the certificate rules are errors naming it', async () => {
    const { portalToken } = await seedFederation(steady, noSecretGet);
    const ns = noSecretGet.aggregator.namespace;
    const before = await backend.report('no-secret-get');
    expect(problems(before.report)).toEqual([]);

    await editRoleRules(steady, ns, PORTAL_ROLE, rules =>
      rules.filter(rule => !rule.resources?.includes('secrets')),
    );
    await waitUntilForbidden(
      steady,
      portalToken,
      `/api/v1/namespaces/${ns}/secrets/superlink-tls`,
    );

    const { report } = await backend.report('no-secret-get');
    const missing = `get secrets/superlink-tls in ${ns}`;
    expect(report.errors).toEqual([
      expect.objectContaining({
        cluster: 'steady',
        missingPermission: missing,
      }),
    ]);
    // The rules that read the served certificate, and only those.
    expect(problems(report)).toEqual([
      `CERT-02 error Secret ${ns}/superlink-tls`,
      `CERT-03 error Secret ${ns}/superlink-tls`,
      `CERT-04 error Secret ${ns}/superlink-tls`,
      `CERT-05 error Deployment ${ns}/superlink`,
      `CERT-06 error Secret ${ns}/superlink-tls`,
      `ING-02 error Ingress ${ns}/superlink`,
    ]);
    expect(resultFor(report, 'CERT-02', 'superlink-tls', ns).message).toContain(
      missing,
    );
  });
});
