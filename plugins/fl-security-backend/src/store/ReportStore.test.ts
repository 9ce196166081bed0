import { DatabaseService } from '@backstage/backend-plugin-api';
import { createTestDatabases } from '../__testUtils__/databases';
import { makeReport } from '../__testUtils__/reports';
import { ReportStore } from './ReportStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('ReportStore on %s', databaseId => {
  async function createStore(historyLimit = 3) {
    const knex = await databases.init(databaseId);
    const database: DatabaseService = { getClient: async () => knex };
    return { store: await ReportStore.create(database, historyLimit), knex };
  }

  it('returns the latest report and a newest-first history', async () => {
    const { store } = await createStore();
    const ref = 'component:default/fl-demo';
    expect(await store.latest(ref)).toBeUndefined();
    expect(await store.history(ref)).toEqual([]);

    await store.add(
      ref,
      makeReport({
        generatedAt: '2026-08-01T10:00:00.000Z',
        statuses: ['fail'],
      }),
    );
    const second = makeReport({
      generatedAt: '2026-08-01T11:00:00.000Z',
      statuses: ['pass', 'warn'],
    });
    await store.add(ref, second);

    expect(await store.latest(ref)).toEqual(second);
    expect(await store.history(ref)).toEqual([
      {
        generatedAt: '2026-08-01T11:00:00.000Z',
        overall: 'warnings',
        summary: { pass: 1, warn: 1, fail: 0, error: 0, skip: 0 },
        errorCount: 0,
      },
      {
        generatedAt: '2026-08-01T10:00:00.000Z',
        overall: 'violations',
        summary: { pass: 0, warn: 0, fail: 1, error: 0, skip: 0 },
        errorCount: 0,
      },
    ]);
  });

  it('keeps only the newest reports per entity', async () => {
    const { store, knex } = await createStore(3);
    for (let hour = 10; hour < 16; hour++) {
      await store.add(
        'component:default/a',
        makeReport({ generatedAt: `2026-08-01T${hour}:00:00.000Z` }),
      );
    }
    await store.add('component:default/b', makeReport());
    expect(
      (await store.history('component:default/a')).map(h => h.generatedAt),
    ).toEqual([
      '2026-08-01T15:00:00.000Z',
      '2026-08-01T14:00:00.000Z',
      '2026-08-01T13:00:00.000Z',
    ]);
    const [{ count }] = await knex('fl_security_reports').count({ count: '*' });
    expect(Number(count)).toBe(4);
  });

  it('matches entity refs case-insensitively', async () => {
    const { store } = await createStore();
    await store.add('Component:Default/FL-Demo', makeReport());
    expect(await store.latest('component:default/fl-demo')).toBeDefined();
  });

  it('summarises the latest report of the entities asked for', async () => {
    const { store } = await createStore();
    await store.add('component:default/a', makeReport({ statuses: ['fail'] }));
    await store.add(
      'component:default/a',
      makeReport({
        generatedAt: '2026-08-02T00:00:00.000Z',
        notAfter: ['2026-09-01T00:00:00.000Z', '2026-08-20T00:00:00.000Z'],
        errors: [{ cluster: 'site', message: 'timed out' }],
      }),
    );
    await store.add('component:default/b', makeReport({ federation: 'b' }));
    await store.add('component:default/c', makeReport({ federation: 'c' }));

    const summaries = await store.latestSummaries([
      'Component:default/A',
      'component:default/b',
      'component:default/never-scanned',
    ]);
    // Only the page's refs are read: c is stored but not asked for.
    expect([...summaries.keys()].sort()).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
    expect(await store.latestSummaries([])).toEqual(new Map());
    expect(await store.latestGeneratedAt('component:default/A')).toBe(
      '2026-08-02T00:00:00.000Z',
    );
    expect(
      await store.latestGeneratedAt('component:default/never-scanned'),
    ).toBeUndefined();
    expect(summaries.get('component:default/a')).toEqual({
      entityRef: 'component:default/a',
      federation: 'fl-demo',
      generatedAt: '2026-08-02T00:00:00.000Z',
      overall: 'unknown',
      summary: { pass: 1, warn: 1, fail: 0, error: 0, skip: 0 },
      errorCount: 1,
      soonestExpiry: {
        subject: 'CN=cert-1',
        notAfter: '2026-08-20T00:00:00.000Z',
        daysLeft: 11,
        source: 'aggregator-cluster/fl-demo-aggregator/tls-1',
      },
    });
    expect(summaries.get('component:default/b')?.soonestExpiry).toBeUndefined();
  });

  it('returns the latest report and the one before it', async () => {
    const { store } = await createStore();
    const ref = 'component:default/pair';
    expect(await store.latestTwo(ref)).toEqual({});
    const first = makeReport({ generatedAt: '2026-08-01T10:00:00.000Z' });
    await store.add(ref, first);
    expect(await store.latestTwo(ref)).toEqual({ latest: first });
    const second = makeReport({
      generatedAt: '2026-08-01T11:00:00.000Z',
      statuses: ['fail'],
    });
    const third = makeReport({ generatedAt: '2026-08-01T12:00:00.000Z' });
    await store.add(ref, second);
    await store.add('component:default/other', makeReport());
    await store.add(ref.toUpperCase(), third);
    expect(await store.latestTwo(ref)).toEqual({
      latest: third,
      previous: second,
    });
  });

  it('returns the recent history of each entity asked for', async () => {
    const { store } = await createStore(5);
    for (let hour = 10; hour < 14; hour++) {
      await store.add(
        'component:default/a',
        makeReport({
          generatedAt: `2026-08-01T${hour}:00:00.000Z`,
          statuses: hour % 2 ? ['fail'] : ['pass'],
        }),
      );
    }
    await store.add('component:default/b', makeReport());
    await store.add('component:default/c', makeReport());
    const histories = await store.recentHistories(
      ['Component:default/A', 'component:default/b', 'component:default/none'],
      3,
    );
    expect([...histories.keys()].sort()).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
    expect(histories.get('component:default/a')).toEqual([
      {
        generatedAt: '2026-08-01T13:00:00.000Z',
        overall: 'violations',
        summary: { pass: 0, warn: 0, fail: 1, error: 0, skip: 0 },
        errorCount: 0,
      },
      expect.objectContaining({
        generatedAt: '2026-08-01T12:00:00.000Z',
        overall: 'compliant',
      }),
      expect.objectContaining({ generatedAt: '2026-08-01T11:00:00.000Z' }),
    ]);
    expect(histories.get('component:default/b')).toHaveLength(1);
    expect(await store.recentHistories([], 3)).toEqual(new Map());
  });

  it('stores large reports intact', async () => {
    const { store } = await createStore();
    const big = makeReport({
      statuses: Array.from({ length: 3000 }, () => 'pass' as const),
    });
    await store.add('component:default/big', big);
    expect(await store.latest('component:default/big')).toEqual(big);
  });
});
