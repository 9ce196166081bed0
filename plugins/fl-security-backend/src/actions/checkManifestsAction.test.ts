import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { evaluateFederations } from '@fl-security/plugin-fl-security-node';
import {
  aggregatorCertificate,
  FEDERATION,
  federationObjects,
} from '../__testUtils__/federationFixture';
import {
  createCheckManifestsAction,
  MAX_MANIFEST_CHARS,
} from './checkManifestsAction';

jest.setTimeout(60_000);

const THRESHOLDS = { expiryWarnDays: 30, expiryFailDays: 14 };
// The fixture's certificates are issued when the tests start.
const NOW = new Date().toISOString();

/** A YAML stream of JSON documents (JSON is YAML). */
const yamlStream = (objects: object[]) =>
  objects.map(object => JSON.stringify(object, null, 2)).join('\n---\n');

function setUp() {
  const registry = actionsRegistryServiceMock();
  createCheckManifestsAction({
    actionsRegistry: registry,
    thresholds: THRESHOLDS,
  });
  const check = (input: Record<string, unknown>) =>
    registry.invoke({
      id: 'test:check-manifests',
      input: input as any,
      credentials: mockCredentials.user(),
    });
  return { registry, check };
}

describe('check-manifests', () => {
  it('is listed as a read-only action', async () => {
    const { registry } = setUp();
    const { actions } = await registry.list();
    expect(actions).toEqual([
      expect.objectContaining({
        id: 'test:check-manifests',
        attributes: { readOnly: true, idempotent: true, destructive: false },
      }),
    ]);
  });

  it('answers what `fl-security check` finds in the same manifests', async () => {
    const { check } = setUp();
    const objects = federationObjects();
    const { output } = (await check({
      manifests: yamlStream(objects),
      now: NOW,
    })) as { output: any };

    // The oracle: the engine on the same objects, as the CLI runs it.
    const [expected] = evaluateFederations({
      snapshots: [{ objects: objects as any, gaps: [] }],
      now: new Date(NOW),
      thresholds: THRESHOLDS,
    });
    expect(output.objects).toBe(objects.length);
    expect(output.reports).toHaveLength(1);
    const [report] = output.reports;
    expect(report.federation).toBe(FEDERATION);
    expect(report.summary).toEqual(expected.summary);
    expect(report.failing.map((r: any) => [r.ruleId, r.status]).sort()).toEqual(
      expected.results
        .filter(r => r.status === 'fail' || r.status === 'error')
        .map(r => [r.ruleId, r.status])
        .sort(),
    );
    expect(report.failing.length).toBeGreaterThan(0);
    expect(report.overall).toBe('violations');
  });

  it('never answers Secret values of the input', async () => {
    const { check } = setUp();
    const { output } = await check({
      manifests: yamlStream(federationObjects()),
      now: NOW,
    });
    const text = JSON.stringify(output);
    const { keyPem } = aggregatorCertificate();
    expect(text).not.toContain(Buffer.from(keyPem).toString('base64'));
    expect(text).not.toMatch(/PRIVATE KEY/);
  });

  it('withholds a report that would carry a Secret value (fail closed)', async () => {
    const { check } = setUp();
    // A federation named like the value of a Secret of the manifests: the
    // report names its federation, so it would leak the value.
    const leaking = 'flsecretvalue0123456789';
    const objects = federationObjects().map(object => ({
      ...object,
      metadata: {
        ...object.metadata,
        labels: {
          ...object.metadata.labels,
          ...(object.metadata.labels?.['backstage.io/kubernetes-id']
            ? { 'backstage.io/kubernetes-id': leaking }
            : {}),
        },
      },
    }));
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'password', namespace: 'fl-demo-aggregator' },
      data: { password: leaking },
    } as any);
    const { output } = (await check({
      manifests: yamlStream(objects),
      now: NOW,
    })) as { output: any };
    const withheld = output.reports.filter((r: any) =>
      /^federation \d+ \(name withheld\)$/.test(r.federation),
    );
    expect(withheld).toHaveLength(1);
    expect(withheld[0]).toMatchObject({
      overall: 'unknown',
      failing: [],
      errors: [
        {
          cluster: '-',
          message:
            'report withheld: it contained key material (a defect, please report it)',
        },
      ],
    });
    // Its name is the leak: the withheld report must not carry it either.
    expect(JSON.stringify(output)).not.toContain(leaking);
  });

  it('rejects unreadable YAML with its position', async () => {
    const { check } = setUp();
    await expect(
      check({ manifests: 'apiVersion: v1\nkind: [Secret\n' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^manifests:\d+:\d+: invalid YAML\/JSON/),
    });
  });

  it('says so when the manifests hold no FL workload', async () => {
    const { check } = setUp();
    await expect(
      check({
        manifests: yamlStream([
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'x', namespace: 'y' },
          },
        ]),
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'no federated-learning workload in 1 objects',
      ),
    });
  });

  it.each([
    ['empty manifests', { manifests: '' }],
    [
      'manifests over the limit',
      { manifests: 'a'.repeat(MAX_MANIFEST_CHARS + 1) },
    ],
    ['a clock that is not ISO-8601', { manifests: 'a: b', now: 'tomorrow' }],
    ['no manifests', {}],
  ])('rejects %s', async (_, input) => {
    const { check } = setUp();
    await expect(check(input)).rejects.toMatchObject({ name: 'InputError' });
  });
});
