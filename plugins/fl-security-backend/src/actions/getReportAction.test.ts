import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityAccess } from '../access/entityAccess';
import { recordingAuditor } from '../__testUtils__/auditor';
import { createTestDatabases } from '../__testUtils__/databases';
import { makeReport } from '../__testUtils__/reports';
import { ReportStore } from '../store/ReportStore';
import { createGetReportAction } from './getReportAction';

jest.setTimeout(60_000);

const databases = createTestDatabases();

function flEntity(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: { type: 'federated-learning', lifecycle: 'production', owner },
  };
}

const ours = flEntity('fl-ours', 'team-a');
const theirs = flEntity('fl-theirs', 'team-b');
const never = flEntity('fl-never', 'team-a');
const website: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'website', lifecycle: 'production', owner: 'team-a' },
};

/** alice may read the reports of team-a's entities; bob may read none. */
const READABLE: Record<string, string[]> = {
  'user:default/alice': [
    'component:default/fl-ours',
    'component:default/fl-never',
    'component:default/web',
  ],
  'user:default/bob': [],
};

describe.each(databases.eachSupportedId())('get-report on %s', databaseId => {
  async function setUp() {
    const knex = await databases.init(databaseId);
    const database: DatabaseService = { getClient: async () => knex };
    const store = await ReportStore.create(database, 5);
    const catalog = catalogServiceMock({
      entities: [ours, theirs, never, website],
    });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, { credentials }) => {
        const user = (credentials.principal as { userEntityRef?: string })
          .userEntityRef;
        return requests.map(request => ({
          result: (READABLE[user ?? ''] ?? []).includes(
            (request as { resourceRef?: string }).resourceRef ?? '',
          )
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }));
      },
    });
    const auditor = recordingAuditor();
    const registry = actionsRegistryServiceMock();
    createGetReportAction({
      actionsRegistry: registry,
      access: new EntityAccess({
        permissions,
        auditor: auditor.mock,
        catalog,
      }),
      store,
    });
    const invoke = (user: string, entityRef: string) =>
      registry.invoke({
        id: 'test:get-report',
        input: { entityRef },
        credentials: mockCredentials.user(user),
      });
    return { store, invoke, registry, getEntityByRef, permissions, auditor };
  }

  it('is listed as a read-only, idempotent action with its input schema', async () => {
    const { registry } = await setUp();
    const { actions } = await registry.list();
    expect(actions).toEqual([
      expect.objectContaining({
        id: 'test:get-report',
        attributes: { readOnly: true, idempotent: true, destructive: false },
        schema: expect.objectContaining({
          input: expect.objectContaining({
            required: ['entityRef'],
          }),
        }),
      }),
    ]);
  });

  it('answers the summary, the failing results worst first and the changes since the scan before', async () => {
    const { store, invoke } = await setUp();
    const ref = 'component:default/fl-ours';
    await store.add(
      ref,
      makeReport({
        generatedAt: '2026-08-01T10:00:00.000Z',
        statuses: ['pass', 'pass', 'pass'],
      }),
    );
    const latest = makeReport({
      generatedAt: '2026-08-01T11:00:00.000Z',
      statuses: ['error', 'pass', 'fail'],
      errors: [{ cluster: 'site-b', message: 'timed out' }],
    });
    latest.results[0].severity = 'critical';
    await store.add(ref, latest);

    const { output } = await invoke('user:default/alice', 'fl-ours');

    expect(output).toEqual({
      entityRef: ref,
      state: 'scanned',
      overall: 'violations',
      message: `${ref}: violations (fail 1, error 1, warn 0, pass 1; 1 cluster problems) at 2026-08-01T11:00:00.000Z`,
      federation: 'fl-demo',
      generatedAt: '2026-08-01T11:00:00.000Z',
      summary: { pass: 1, warn: 0, fail: 1, error: 1, skip: 0 },
      // fail before error, whatever the severity.
      failing: [latest.results[2], latest.results[0]],
      failingOmitted: 0,
      clusterErrors: [{ cluster: 'site-b', message: 'timed out' }],
      changes: {
        previousGeneratedAt: '2026-08-01T10:00:00.000Z',
        newFailures: [
          { ruleId: 'FLS-TEST-0', resource: latest.results[0].resource },
          { ruleId: 'FLS-TEST-2', resource: latest.results[2].resource },
        ],
        fixed: [],
      },
    });
  });

  it('answers a clear state for an entity never scanned, and never scans', async () => {
    const { invoke, store } = await setUp();
    const { output } = await invoke(
      'user:default/alice',
      'component:default/fl-never',
    );
    expect(output).toEqual({
      entityRef: 'component:default/fl-never',
      state: 'not-scanned',
      overall: 'unknown',
      message:
        'component:default/fl-never has not been scanned yet; the scheduled scan will report it',
      failing: [],
      failingOmitted: 0,
      clusterErrors: [],
    });
    expect(await store.latest('component:default/fl-never')).toBeUndefined();
  });

  it('refuses a user who may not read the entity before looking it up, and audits it', async () => {
    const { invoke, store, getEntityByRef, auditor } = await setUp();
    await store.add('component:default/fl-theirs', makeReport());

    const refusal = invoke('user:default/bob', 'component:default/fl-theirs');
    await expect(refusal).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'missing permission fl-security.report.read on component:default/fl-theirs',
    });
    expect(getEntityByRef).not.toHaveBeenCalled();
    expect(auditor.events).toEqual([
      {
        eventId: 'report-access',
        meta: {
          permission: 'fl-security.report.read',
          entityRef: 'component:default/fl-theirs',
          action: 'get-report',
        },
        outcome:
          'fail: missing permission fl-security.report.read on component:default/fl-theirs',
      },
    ]);
  });

  it('gives an unreadable entity and a missing one the same answer (no existence oracle)', async () => {
    const { invoke } = await setUp();
    const existing = await invoke('user:default/bob', 'fl-theirs').catch(
      e => e,
    );
    const missing = await invoke('user:default/bob', 'fl-nonexistent').catch(
      e => e,
    );
    expect(existing.name).toBe('NotAllowedError');
    expect(missing.name).toBe('NotAllowedError');
    expect(existing.message.replace('fl-theirs', 'X')).toBe(
      missing.message.replace('fl-nonexistent', 'X'),
    );
  });

  it('answers not found for readable refs that are no FL entity', async () => {
    const { invoke } = await setUp();
    await expect(
      invoke('user:default/alice', 'component:default/web'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'component:default/web is not a federated-learning entity',
    });
  });

  it.each([
    ['an empty ref', ''],
    ['a ref that is not one', 'component:default/'],
    ['a name with YAML syntax', 'component:default/a: {b}'],
    ['an overlong ref', `component:default/${'a'.repeat(300)}`],
  ])('rejects %s as input', async (_, entityRef) => {
    const { invoke, permissions } = await setUp();
    await expect(invoke('user:default/alice', entityRef)).rejects.toMatchObject(
      { name: 'InputError' },
    );
    expect(permissions.authorize).not.toHaveBeenCalled();
  });
});
