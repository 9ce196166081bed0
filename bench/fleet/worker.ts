/**
 * The fleet section, in its own process (run with --expose-gc): the portal
 * backend as a multi-team portal runs it (the real catalog with N FL
 * entities from a file, the real permission backend with an owners-only
 * policy, the FL security backend with a report stored for every entity),
 * then
 *   - the fleet route: first page for an administrator (ALLOW) and for a
 *     team member (a conditional decision on catalog ownership), and the
 *     heap while an administrator pages through the whole fleet;
 *   - a refresh storm: concurrent refreshes by several users against a
 *     real API server, its in-flight requests read from its audit log.
 *
 * Input (argv): --entities N --storm N --cap N --runs N --out file.json
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  coreServices,
  createServiceFactory,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { seedFederation } from '@fl-security/demo-cluster';
import { startTestCluster } from '@fl-security/test-cluster';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { stringify } from 'yaml';
import {
  httpAuthWithActors,
  ownersOnlyPolicy,
  userGroups,
} from '../../packages/demo-cluster/src/integration/__testUtils__/tenancyPortal';
import {
  peakInFlight,
  requestsBy,
} from '../../packages/demo-cluster/src/integration/__testUtils__/auditAnalysis';
import { ReportStore } from '../live/backend';
import { progress } from '../lib/args';
import { median, timing } from '../lib/stats';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const ENTITIES = arg('--entities', 10_000);
const STORM = arg('--storm', 50);
const CAP = arg('--cap', 4);
const RUNS = arg('--runs', 15);
const outIndex = process.argv.indexOf('--out');
const OUT = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;

const TEAMS = 100;
const STORM_USERS = 5;
const PAGE = 50;
const ADMIN = 'user:default/admin';
const ADMIN_GROUP = 'group:default/platform';
const MEMBER = 'user:default/member-00';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

function sqlite(file = ':memory:'): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
}

/** One in-memory SQLite database per plugin (catalog, permission, fl-security). */
function perPluginDatabases(preset: Record<string, Knex>) {
  const made = new Map<string, Knex>(Object.entries(preset));
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }): DatabaseService {
      const id = plugin.getId();
      if (!made.has(id))
        made.set(
          id,
          sqlite(
            process.env.FLEET_DB_DIR
              ? path.join(process.env.FLEET_DB_DIR, `${id}.sqlite`)
              : ':memory:',
          ),
        );
      const knex = made.get(id)!;
      return { getClient: async () => knex };
    },
  });
}

function fleetEntity(i: number) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `fl-${String(i).padStart(5, '0')}`,
      annotations: {
        'backstage.io/kubernetes-id': `fl-${String(i).padStart(5, '0')}`,
      },
    },
    spec: {
      type: 'federated-learning',
      lifecycle: 'production',
      owner: `group:default/team-${String(i % TEAMS).padStart(2, '0')}`,
    },
  };
}

function stormEntity(j: number, namespaces: string[]) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `storm-${String(j).padStart(2, '0')}`,
      annotations: {
        'backstage.io/kubernetes-id': 'storm-fl',
        'fl-security/namespaces': namespaces.join(','),
      },
    },
    spec: {
      type: 'federated-learning',
      lifecycle: 'production',
      owner: `group:default/storm-${j % STORM_USERS}`,
    },
  };
}

/** A stored report as the scheduled scan leaves it: summary and a few results. */
function storedReport(i: number) {
  const results = Array.from({ length: 20 }, (_, k) => ({
    ruleId: 'NET-01',
    status: k === 0 && i % 7 === 0 ? 'fail' : 'pass',
    severity: 'high',
    resource: { cluster: 'prod', kind: 'Namespace', name: `fl-${i}-${k}` },
    message: 'NetworkPolicy default-deny selects every pod of the namespace.',
    remediation: 'none',
  })) as any[];
  const summary = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.status as 'pass' | 'fail'] += 1;
  return {
    federation: `fl-${i}`,
    generatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 3600)).toISOString(),
    results,
    summary,
    certificates: [],
    reachability: [],
    errors: [],
  };
}

async function main() {
  const started = performance.now();
  const cluster = await startTestCluster({
    name: 'fl-bench-fleet',
    auditLog: true,
    crds: {
      certManager: true,
      gatewayApi: false,
      istio: false,
      vaultSecretsOperator: false,
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-bench-fleet-'));
  try {
    const seeded = await seedFederation(cluster, {
      name: 'storm-fl',
      participants: [{ name: 'site' }],
    });
    const stormNamespaces = ['storm-fl-aggregator', 'storm-fl-site'];
    progress(
      `API server and storm federation ready in ${(
        (performance.now() - started) /
        1000
      ).toFixed(1)} s`,
    );

    // The FL security store: one report per entity, as after a scheduled scan.
    let t = performance.now();
    const flKnex = sqlite();
    const store = await ReportStore.create(
      { getClient: async () => flKnex },
      20,
    );
    for (let i = 0; i < ENTITIES; i++) {
      await store.add(
        `component:default/${fleetEntity(i).metadata.name}`,
        storedReport(i) as any,
      );
    }
    const storeMs = performance.now() - t;
    progress(`stored ${ENTITIES} reports in ${(storeMs / 1000).toFixed(1)} s`);

    const storms = Array.from({ length: STORM }, (_, j) =>
      stormEntity(j, stormNamespaces),
    );
    const entities = [
      ...Array.from({ length: ENTITIES }, (_, i) => fleetEntity(i)),
      ...storms,
    ];
    const catalogFile = path.join(dir, 'entities.yaml');
    fs.writeFileSync(
      catalogFile,
      entities.map(e => stringify(e)).join('---\n'),
    );

    const groups: Record<string, string[]> = {
      [ADMIN]: [ADMIN_GROUP],
      [MEMBER]: ['group:default/team-00'],
    };
    for (let k = 0; k < STORM_USERS; k++)
      groups[`user:default/storm-user-${k}`] = [`group:default/storm-${k}`];

    const { server } = await startTestBackend({
      features: [
        import('@backstage/plugin-catalog-backend'),
        import('@backstage/plugin-permission-backend'),
        ownersOnlyPolicy([ADMIN_GROUP]),
        // eslint-disable-next-line @backstage/no-mixed-plugin-imports
        import('@fl-security/plugin-fl-security-backend'),
        httpAuthWithActors,
        userGroups(groups),
        perPluginDatabases({ 'fl-security': flKnex }),
        mockServices.rootLogger.factory({ level: 'warn' }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component'] }],
              locations: [{ type: 'file', target: catalogFile }],
            },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'bench',
                      url: cluster.server,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: seeded.portalToken,
                      caData: Buffer.from(cluster.caPem).toString('base64'),
                    },
                  ],
                },
              ],
            },
            flSecurity: {
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 1 },
                initialDelay: { hours: 24 },
              },
              reader: { concurrency: CAP, clusterTimeout: { minutes: 2 } },
              scans: {
                maxConcurrent: 2,
                maxQueued: 1000,
                minInterval: { minutes: 10 },
                perUser: { limit: 100 },
              },
              namespaceBindings: storms.map(e => ({
                entityRef: `component:default/${e.metadata.name}`,
                namespaces: stormNamespaces,
              })),
            },
          },
        }),
      ],
    });
    const as = (user: string, method: 'get' | 'post', route: string) =>
      request(server)
        [method](route)
        .set('authorization', mockCredentials.user.header(user));

    t = performance.now();
    for (;;) {
      const res = await request(server)
        .get('/api/catalog/entities/by-query?limit=1')
        .set('authorization', mockCredentials.service.header());
      if (res.status === 200 && res.body.totalItems >= entities.length) break;
      if (performance.now() - t > 15 * 60_000)
        throw new Error(`catalog ingestion stuck at ${res.body?.totalItems}`);
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
    const ingestMs = performance.now() - t;
    progress(
      `catalog ingested ${entities.length} entities in ${(
        ingestMs / 1000
      ).toFixed(1)} s`,
    );

    // First page, administrator (ALLOW) and team member (conditional).
    const firstPage = async (user: string) => {
      const runs: number[] = [];
      let body: any;
      let bytes = 0;
      for (let r = 0; r < RUNS + 3; r++) {
        const start = performance.now();
        const res = await as(
          user,
          'get',
          `/api/fl-security/v1/reports?limit=${PAGE}`,
        );
        const ms = performance.now() - start;
        if (res.status !== 200)
          throw new Error(
            `fleet: HTTP ${res.status} ${res.text.slice(0, 300)}`,
          );
        if (r >= 3) runs.push(ms);
        body = res.body;
        bytes = res.text.length;
      }
      return {
        ms: timing(runs),
        items: body.items.length,
        hasNext: Boolean(body.nextCursor),
        bytes,
      };
    };
    const admin = await firstPage(ADMIN);
    const member = await firstPage(MEMBER);
    progress(
      `first page: administrator ${admin.ms.median.toFixed(
        0,
      )} ms, team member ${member.ms.median.toFixed(0)} ms`,
    );

    // Paging through everything (administrator): once timed, once with
    // the heap measured after GC behind every page.
    const pageThrough = async (afterPage: () => void) => {
      let cursor: string | undefined;
      let entities = 0;
      let pages = 0;
      const ms: number[] = [];
      do {
        const start = performance.now();
        const res = await as(
          ADMIN,
          'get',
          `/api/fl-security/v1/reports?limit=${PAGE}${
            cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
          }`,
        );
        ms.push(performance.now() - start);
        if (res.status !== 200)
          throw new Error(`page ${pages}: HTTP ${res.status}`);
        entities += res.body.items.length;
        cursor = res.body.nextCursor;
        pages += 1;
        afterPage();
      } while (cursor);
      return { entities, pages, ms };
    };
    const pagingStart = performance.now();
    const timedPass = await pageThrough(() => {});
    const pagingMs = performance.now() - pagingStart;
    const heapBefore = heapAfterGc();
    const heaps: number[] = [];
    await pageThrough(() => heaps.push(heapAfterGc()));
    const tenth = heaps[Math.min(9, heaps.length - 1)];
    const { entities: seen, pages } = timedPass;
    const pageMs = timedPass.ms;
    progress(
      `paged ${seen} entities in ${pages} pages, ${(pagingMs / 1000).toFixed(
        1,
      )} s`,
    );

    // Member's whole fleet: only the entities of team-00.
    let memberSeen = 0;
    let memberPages = 0;
    let cursor: string | undefined;
    do {
      const res = await as(
        MEMBER,
        'get',
        `/api/fl-security/v1/reports?limit=${PAGE}${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`,
      );
      memberSeen += res.body.items.length;
      cursor = res.body.nextCursor;
      memberPages += 1;
    } while (cursor);

    // The refresh storm: every storm entity refreshed at once by its owners.
    const log = cluster.auditLog!;
    await log.settle();
    let mark = log.mark();
    const stormStart = performance.now();
    const responses = await Promise.all(
      storms.map((entity, j) =>
        as(
          `user:default/storm-user-${j % STORM_USERS}`,
          'post',
          `/api/fl-security/v1/reports/component/default/${entity.metadata.name}/refresh`,
        ),
      ),
    );
    const stormMs = performance.now() - stormStart;
    await log.settle();
    const stormEvents = log.since(mark);
    const statuses: Record<string, number> = {};
    for (const res of responses)
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;

    // The same again inside the interval.
    mark = log.mark();
    const again = await Promise.all(
      storms
        .slice(0, 20)
        .map((entity, j) =>
          as(
            `user:default/storm-user-${j % STORM_USERS}`,
            'post',
            `/api/fl-security/v1/reports/component/default/${entity.metadata.name}/refresh`,
          ),
        ),
    );
    await log.settle();
    const againStatuses: Record<string, number> = {};
    for (const res of again)
      againStatuses[res.status] = (againStatuses[res.status] ?? 0) + 1;
    const againRequests = requestsBy(log.since(mark)).length;

    const result = {
      entities: ENTITIES,
      pageSize: PAGE,
      storeMs,
      catalogIngestMs: ingestMs,
      firstPage: { administrator: admin, teamMember: member },
      paging: {
        pages,
        entities: seen,
        totalMs: pagingMs,
        pageMsMedian: median(pageMs),
        heapBeforeBytes: heapBefore,
        heapMaxGrowthBytes: Math.max(...heaps) - heapBefore,
        heapGrowthAfter10thPageBytes: heaps[heaps.length - 1] - tenth,
      },
      teamMemberFleet: { pages: memberPages, entities: memberSeen },
      storm: {
        refreshes: STORM,
        users: STORM_USERS,
        cap: CAP,
        maxConcurrentScans: 2,
        wallMs: stormMs,
        statuses,
        apiRequests: requestsBy(stormEvents).length,
        peakInFlight: peakInFlight(stormEvents),
        repeated: {
          refreshes: again.length,
          statuses: againStatuses,
          apiRequests: againRequests,
        },
      },
    };
    const text = `${JSON.stringify(result, null, 2)}\n`;
    if (OUT) fs.writeFileSync(OUT, text);
    else process.stdout.write(text);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await cluster.stop();
  }
  // The test backend has no stop(); the process ends here.
  process.exit(0);
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
