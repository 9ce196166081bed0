import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { RuleResult } from '@fl-security/plugin-fl-security-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { makeReport } from '../__testUtils__/reports';
import { NotificationStateStore } from './NotificationStateStore';
import { ownersOf, ReportNotifier } from './ReportNotifier';
import { NotificationSettings } from './settings';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fl-demo', namespace: 'default', title: 'FL demo' },
  spec: { type: 'federated-learning', owner: 'ml', lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/ml' }],
};
const REF = 'component:default/fl-demo';
const ON: NotificationSettings = {
  enabled: true,
  federationStatus: true,
  certificateExpiry: true,
};

const passing = () => makeReport({ statuses: ['pass', 'warn'] });
const failing = () => makeReport({ statuses: ['pass', 'fail'] });
function expiring(status: RuleResult['status']) {
  const report = makeReport({ statuses: ['pass', status] });
  report.results[1] = {
    ...report.results[1],
    ruleId: 'CERT-02',
    resource: {
      cluster: 'demo',
      kind: 'Secret',
      namespace: 'fl-demo-aggregator',
      name: 'fl-demo-aggregator-tls',
    },
    message: `CN=fl-demo-aggregator: ${status}`,
  };
  return report;
}

describe.each(databases.eachSupportedId())(
  'ReportNotifier on %s',
  databaseId => {
    async function setUp(settings: NotificationSettings = ON) {
      const knex = await databases.init(databaseId);
      const database: DatabaseService = { getClient: async () => knex };
      const store = await NotificationStateStore.create(database);
      const sent: NotificationSendOptions[] = [];
      const notifications = {
        send: jest.fn(async (o: NotificationSendOptions) => void sent.push(o)),
      };
      const replica = () =>
        new ReportNotifier({
          store,
          notifications,
          logger: mockServices.logger.mock(),
          settings,
        });
      return { store, sent, notifications, notifier: replica(), replica, knex };
    }

    it('notifies the owner once when the federation starts failing, and once when it recovers', async () => {
      const { notifier, sent } = await setUp();
      for (const report of [passing(), failing(), failing(), failing()]) {
        await notifier.onReport(ENTITY, REF, report);
      }
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: ['group:default/ml'] },
          payload: {
            title: 'FL demo fails its FL security checks',
            description:
              '1 failing result (FLS-TEST-1); it passed at the scan before.',
            severity: 'high',
            topic: 'fl-security',
            link: '/catalog/default/component/fl-demo/fl-security',
            scope: `fl-security:${REF}:federation`,
          },
        },
      ]);
      await notifier.onReport(ENTITY, REF, passing());
      await notifier.onReport(ENTITY, REF, passing());
      expect(sent.map(s => s.payload.title)).toEqual([
        'FL demo fails its FL security checks',
        'FL demo passes its FL security checks again',
      ]);
      expect(sent[1].payload.scope).toBe(sent[0].payload.scope);
    });

    it('notifies certificate thresholds and the renewal, once each', async () => {
      const { notifier, sent } = await setUp();
      for (const status of [
        'pass',
        'warn',
        'warn',
        'fail',
        'fail',
        'pass',
      ] as const) {
        await notifier.onReport(ENTITY, REF, expiring(status));
      }
      expect(
        sent.map(s => [
          s.payload.title,
          s.payload.severity,
          s.payload.description,
        ]),
      ).toEqual([
        [
          'FL demo: certificate in demo/fl-demo-aggregator/fl-demo-aggregator-tls is close to expiry',
          'normal',
          'CN=fl-demo-aggregator: warn',
        ],
        [
          'FL demo: certificate in demo/fl-demo-aggregator/fl-demo-aggregator-tls expires within the failure threshold',
          'critical',
          'CN=fl-demo-aggregator: fail',
        ],
        [
          'FL demo: certificate in demo/fl-demo-aggregator/fl-demo-aggregator-tls is renewed',
          'low',
          'CN=fl-demo-aggregator: pass',
        ],
      ]);
    });

    it('keeps the last notified state in the database, across restarts', async () => {
      const { notifier, replica, sent, store } = await setUp();
      await notifier.onReport(ENTITY, REF, passing());
      await notifier.onReport(ENTITY, REF, failing());
      // A restarted backend (a new notifier on the same database).
      await replica().onReport(ENTITY, REF, failing());
      expect(sent).toHaveLength(1);
      expect((await store.get(REF))?.state.federation).toBe('failing');
      // Refs are case-insensitive.
      expect((await store.get(REF.toUpperCase()))?.version).toBe(2);
    });

    it('lets one of two replicas that saw the same transition notify', async () => {
      const { replica, sent } = await setUp();
      const [a, b] = [replica(), replica()];
      await a.onReport(ENTITY, REF, passing());
      await Promise.all([
        a.onReport(ENTITY, REF, failing()),
        b.onReport(ENTITY, REF, failing()),
      ]);
      expect(sent).toHaveLength(1);
    });

    it('tries again at the next scan when sending failed', async () => {
      const { notifier, notifications, sent } = await setUp();
      await notifier.onReport(ENTITY, REF, passing());
      notifications.send.mockRejectedValueOnce(new Error('notifications down'));
      await notifier.onReport(ENTITY, REF, failing());
      expect(sent).toHaveLength(0);
      await notifier.onReport(ENTITY, REF, failing());
      await notifier.onReport(ENTITY, REF, failing());
      expect(sent.map(s => s.payload.title)).toEqual([
        'FL demo fails its FL security checks',
      ]);
    });

    it('sends nothing and stores nothing when switched off', async () => {
      const { notifier, sent, store } = await setUp({ ...ON, enabled: false });
      for (const report of [passing(), failing(), passing()]) {
        await notifier.onReport(ENTITY, REF, report);
      }
      expect(sent).toEqual([]);
      expect(await store.get(REF)).toBeUndefined();
    });

    it('sends only the kinds switched on', async () => {
      const { notifier, sent } = await setUp({
        ...ON,
        certificateExpiry: false,
      });
      await notifier.onReport(ENTITY, REF, expiring('pass'));
      await notifier.onReport(ENTITY, REF, expiring('fail'));
      await notifier.onReport(ENTITY, REF, failing());
      expect(sent.map(s => s.payload.title)).toEqual([
        'FL demo fails its FL security checks',
      ]);
    });
  },
);

describe('ownersOf', () => {
  it('prefers the catalog ownedBy relations, else spec.owner as a group of the entity namespace', () => {
    expect(ownersOf(ENTITY)).toEqual(['group:default/ml']);
    expect(
      ownersOf({
        ...ENTITY,
        metadata: { name: 'x', namespace: 'team-a' },
        relations: [],
      }),
    ).toEqual(['group:team-a/ml']);
    expect(ownersOf({ ...ENTITY, spec: {}, relations: [] })).toEqual([]);
  });
});
