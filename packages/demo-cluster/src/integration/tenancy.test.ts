/**
 * Issue 13: the multi-tenant trust boundary against a real kube-apiserver.
 * Two teams' federations, generated and applied, read by one portal
 * ServiceAccount that holds both teams' rights (and, here, more: it may list
 * namespaces and write PolicyReports anywhere). The portal runs with the
 * real catalog and the real permission backend with an owners-only policy.
 * What the API server was asked comes from its own audit log.
 */
import { createHash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  EntityReportResponse,
  FleetResponse,
  validateFederationSpec,
} from '@fl-security/plugin-fl-security-common';
import { entityAnnotations } from '@fl-security/plugin-fl-security-node';
import {
  AuditEvent,
  kubeRequest,
  startTestCluster,
  TestCluster,
} from '@fl-security/test-cluster';
import { seedFederation } from '../seedFederation';
import { adminChange } from './__testUtils__/adminRequests';
import { peakInFlight, requestsBy } from './__testUtils__/auditAnalysis';
import {
  startTenancyPortal,
  TenancyPortal,
} from './__testUtils__/tenancyPortal';

jest.setTimeout(240_000);

/**
 * The PolicyReport name the backend documents for an entity ref:
 * fl-security-<kind>-<namespace>-<name>-<first 10 hex of sha256(ref)>.
 */
function policyReportName(entityRef: string): string {
  const ref = entityRef.toLocaleLowerCase('en-US');
  const hash = createHash('sha256').update(ref).digest('hex').slice(0, 10);
  return `fl-security-${ref.replace(/[:/]/g, '-')}-${hash}`;
}

/** In-flight API requests per cluster (flSecurity.reader.concurrency). */
const REQUEST_CAP = 4;
const LOAD_ENTITIES = 50;

const teams = {
  a: {
    group: 'group:team-a/team-a',
    users: ['user:team-a/alice', 'user:team-a/anna'],
    spec: {
      name: 'team-a-fl',
      participants: [{ name: 'site' }],
      portal: { serviceAccount: {}, entityRef: 'component:team-a/team-a-fl' },
    },
  },
  b: {
    group: 'group:team-b/team-b',
    users: ['user:team-b/bob', 'user:team-b/ben', 'user:team-b/bea'],
    spec: {
      name: 'team-b-fl',
      participants: [{ name: 'site' }],
      portal: { serviceAccount: {}, entityRef: 'component:team-b/team-b-fl' },
    },
  },
};
const A_NAMESPACES = ['team-a-fl-aggregator', 'team-a-fl-site'];
const [alice] = teams.a.users;
const [bob] = teams.b.users;

function component(
  namespace: string,
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace, annotations },
    spec: { type: 'federated-learning', lifecycle: 'experimental', owner },
  };
}

function annotationsOf(spec: unknown): Record<string, string> {
  const validation = validateFederationSpec(spec);
  if (!validation.ok) throw new Error(validation.errors.join('\n'));
  return entityAnnotations(validation.spec);
}

/** Team B's attempts at team A's federation (and kube-system). */
const attacks = {
  // Team A's namespaces and kube-system named in the annotations.
  namespaces: component('team-b', 'evil-namespaces', teams.b.group, {
    'backstage.io/kubernetes-id': 'evil-namespaces',
    'backstage.io/kubernetes-namespace': 'team-a-fl-aggregator',
    'fl-security/namespaces': 'team-a-fl-site,kube-system',
  }),
  // Team A's federation id, no namespaces (discovery) and a selector that
  // matches everything.
  selector: component('team-b', 'evil-selector', teams.b.group, {
    'backstage.io/kubernetes-id': 'team-a-fl',
    'backstage.io/kubernetes-label-selector': 'x!=y',
  }),
  // Team A's entity name, kubernetes-id and namespaces, in team B's
  // catalog namespace.
  twin: component(
    'team-b',
    'team-a-fl',
    teams.b.group,
    annotationsOf(teams.a.spec),
  ),
};

/** Entities bound to team A's namespaces by flSecurity.namespaceBindings. */
const loadEntities = Array.from({ length: LOAD_ENTITIES }, (_, i) => {
  const team = i % 2 === 0 ? 'a' : 'b';
  return component(
    `team-${team}`,
    `load-${String(i).padStart(2, '0')}`,
    teams[team].group,
    {
      'backstage.io/kubernetes-id': 'team-a-fl',
      'fl-security/namespaces': A_NAMESPACES.join(','),
    },
  );
});

const refOf = (entity: Entity) =>
  `component:${entity.metadata.namespace}/${entity.metadata.name}`;
const reportPath = (entity: Entity) =>
  `/api/fl-security/v1/reports/component/${entity.metadata.namespace}/${entity.metadata.name}`;

const POLICY_REPORT_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'policyreports.wgpolicyk8s.io' },
  spec: {
    group: 'wgpolicyk8s.io',
    names: {
      kind: 'PolicyReport',
      listKind: 'PolicyReportList',
      plural: 'policyreports',
      singular: 'policyreport',
    },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1alpha2',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
    ],
  },
};

describe('one portal, two teams', () => {
  let cluster: TestCluster;
  let portal: TenancyPortal;

  beforeAll(async () => {
    cluster = await startTestCluster({
      name: 'integration-tenancy',
      auditLog: true,
    });
    await seedFederation(cluster, teams.a.spec);
    const seeded = await seedFederation(cluster, teams.b.spec);

    // More than either team's RBAC: the reader's checks must hold anyway.
    await adminChange(
      cluster,
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      POLICY_REPORT_CRD,
    );
    await adminChange(
      cluster,
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'portal-extra' },
        rules: [
          { apiGroups: [''], resources: ['namespaces'], verbs: ['list'] },
          {
            apiGroups: ['wgpolicyk8s.io'],
            resources: ['policyreports'],
            verbs: ['get', 'list', 'create', 'patch'],
          },
        ],
      },
    );
    await adminChange(
      cluster,
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'portal-extra' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'portal-extra',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'backstage', namespace: 'backstage' },
        ],
      },
    );
    for (let i = 0; ; i++) {
      const served = await kubeRequest(cluster, {
        path: '/apis/wgpolicyk8s.io/v1alpha2',
        token: cluster.adminToken,
      });
      if (served.status === 200) break;
      if (i > 100) throw new Error('the PolicyReport CRD is not served');
      await new Promise(resolve => setTimeout(resolve, 100));
    }

    // Team B's PolicyReport already exists, its fields owned by an admin.
    const bName = policyReportName(teams.b.spec.portal.entityRef);
    const adminApply = await kubeRequest(cluster, {
      method: 'PATCH',
      path: `/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-b-fl-aggregator/policyreports/${bName}?fieldManager=platform-admin`,
      token: cluster.adminToken,
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: { name: bName, namespace: 'team-b-fl-aggregator' },
        summary: { pass: 999, fail: 0, warn: 0, error: 0, skip: 0 },
        results: [],
      }),
    });
    if (adminApply.status !== 201) {
      throw new Error(`PolicyReport as the admin: HTTP ${adminApply.status}`);
    }

    const entities = [
      component(
        'team-a',
        'team-a-fl',
        teams.a.group,
        annotationsOf(teams.a.spec),
      ),
      component(
        'team-b',
        'team-b-fl',
        teams.b.group,
        annotationsOf(teams.b.spec),
      ),
      ...Object.values(attacks),
      ...loadEntities,
    ];
    portal = await startTenancyPortal({
      cluster: {
        name: 'shared',
        url: cluster.server,
        caPem: cluster.caPem,
        token: seeded.portalToken,
      },
      entities,
      groups: Object.fromEntries(
        Object.values(teams).flatMap(team =>
          team.users.map(user => [user, [team.group]]),
        ),
      ),
      flSecurity: {
        reader: { concurrency: REQUEST_CAP, clusterTimeout: { seconds: 60 } },
        scans: {
          maxConcurrent: 3,
          maxQueued: 100,
          minInterval: { minutes: 10 },
          perUser: { limit: 20 },
        },
        policyReport: { enabled: true },
        // The administrator's alternative to labels: the load entities.
        namespaceBindings: loadEntities.map(entity => ({
          entityRef: refOf(entity),
          cluster: 'shared',
          namespaces: A_NAMESPACES,
        })),
      },
    });
    await portal.waitForCatalog(entities.length);
  });

  afterAll(async () => {
    portal?.close();
    await cluster?.stop();
  });

  /** What the portal asked the API server while `work` ran. */
  async function asked(work: () => Promise<void>): Promise<AuditEvent[]> {
    const log = cluster.auditLog!;
    await log.settle();
    const mark = log.mark();
    await work();
    await log.settle();
    return log.since(mark);
  }

  /** Paths the portal requested that reach into one of the namespaces. */
  function inside(events: AuditEvent[], namespaces: string[]) {
    return requestsBy(events)
      .map(e => `${e.verb} ${e.requestURI}`)
      .filter(line =>
        namespaces.some(ns => line.includes(`/namespaces/${ns}/`)),
      );
  }

  it("reads and exports team A's federation for team A, within its bound namespaces", async () => {
    const events = await asked(async () => {
      const response = await portal.as(
        alice,
        'post',
        `${reportPath({
          metadata: { namespace: 'team-a', name: 'team-a-fl' },
        } as Entity)}/refresh`,
      );
      expect(response.status).toBe(200);
      const { report } = response.body as EntityReportResponse;
      expect(report.errors).toEqual([]);
      expect(
        report.results
          .filter(r => r.ruleId === 'SCOPE-01')
          .map(r => `${r.resource.name} ${r.status}`),
      ).toEqual(A_NAMESPACES.map(ns => `${ns} pass`));
      expect(report.summary.fail).toBe(0);
      expect(report.certificates.length).toBeGreaterThan(0);
    });
    expect(inside(events, A_NAMESPACES).length).toBeGreaterThan(20);
    const patches = requestsBy(events).filter(e => e.verb === 'patch');
    expect(
      patches.map(
        e =>
          `${e.objectRef?.namespace}/${e.objectRef?.name} ${e.responseStatus?.code}`,
      ),
    ).toEqual([
      `team-a-fl-aggregator/${policyReportName(
        'component:team-a/team-a-fl',
      )} 201`,
    ]);
  });

  it.each(Object.entries(attacks))(
    "denies team B's %s attempt: nothing read or written in team A's namespaces or kube-system",
    async (_name, entity) => {
      let report!: EntityReportResponse['report'];
      const events = await asked(async () => {
        const response = await portal.as(
          bob,
          'post',
          `${reportPath(entity)}/refresh`,
        );
        expect(response.status).toBe(200);
        report = (response.body as EntityReportResponse).report;
      });
      const foreign = [...A_NAMESPACES, 'kube-system'];
      // Not one request inside them, nor a write anywhere.
      expect(inside(events, foreign)).toEqual([]);
      expect(
        requestsBy(events).filter(e => e.verb !== 'get' && e.verb !== 'list'),
      ).toEqual([]);
      // At most the Namespace objects themselves, to check their binding.
      const touched = requestsBy(events)
        .filter(e => foreign.some(ns => e.requestURI.includes(ns)))
        .map(e => `${e.verb} ${e.requestURI}`);
      for (const line of touched) {
        expect(line).toMatch(
          /^(get \/api\/v1\/namespaces\/[a-z0-9-]+|list \/api\/v1\/namespaces\?.*)$/,
        );
      }
      // The report shows what was refused and nothing of team A.
      // skip: not bound; error: the binding could not even be checked.
      const scope = report.results.filter(r => r.ruleId === 'SCOPE-01');
      expect(scope.length).toBeGreaterThan(0);
      expect(
        scope.every(r => r.status === 'skip' || r.status === 'error'),
      ).toBe(true);
      expect(report.results.filter(r => r.ruleId !== 'SCOPE-01')).toEqual([]);
      expect(report.certificates).toEqual([]);
      expect(JSON.stringify(report)).not.toMatch(
        /superlink-tls|team-a-fl-ca|CN=|component:team-a/,
      );
    },
  );

  it('names every refused namespace and why', async () => {
    const response = await portal.as(
      bob,
      'get',
      reportPath(attacks.namespaces),
    );
    const scope = (response.body as EntityReportResponse).report.results
      .filter(r => r.ruleId === 'SCOPE-01')
      .map(r => r.message);
    expect(scope).toEqual([
      // No team's RBAC lets the portal get kube-system: it cannot tell.
      'Namespace kube-system: its binding to component:team-b/evil-namespaces could not be verified (missing permission: get namespaces/kube-system); nothing in it was read.',
      'Namespace team-a-fl-aggregator is not bound to component:team-b/evil-namespaces: its label fl-security/federation names another federation than evil-namespaces. Nothing in it was read.',
      'Namespace team-a-fl-site is not bound to component:team-b/evil-namespaces: its label fl-security/federation names another federation than evil-namespaces. Nothing in it was read.',
    ]);
    const twin = await portal.as(bob, 'get', reportPath(attacks.twin));
    expect(
      (twin.body as EntityReportResponse).report.results.map(r => r.message),
    ).toEqual(
      A_NAMESPACES.map(
        ns =>
          `Namespace ${ns} is not bound to component:team-b/team-a-fl: its annotation fl-security/entity-ref names another entity than component:team-b/team-a-fl (an entity renamed or moved must be bound again on the Namespace). Nothing in it was read.`,
      ),
    );
  });

  it('never takes over a PolicyReport whose fields another manager owns', async () => {
    const bName = policyReportName(teams.b.spec.portal.entityRef);
    const events = await asked(async () => {
      const response = await portal.as(
        bob,
        'post',
        `/api/fl-security/v1/reports/component/team-b/team-b-fl/refresh`,
      );
      expect(response.status).toBe(200);
    });
    const patches = requestsBy(events).filter(e => e.verb === 'patch');
    expect(
      patches.map(e => `${e.objectRef?.name} ${e.responseStatus?.code}`),
    ).toEqual([`${bName} 409`]);
    expect(patches.every(e => !/force=true/.test(e.requestURI))).toBe(true);
    const stored = await kubeRequest(cluster, {
      path: `/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-b-fl-aggregator/policyreports/${bName}`,
      token: cluster.adminToken,
    });
    expect(stored.body.summary.pass).toBe(999);
  });

  it('gives 403 to the other team on entity and refresh routes, and reads nothing for it', async () => {
    const teamA = {
      metadata: { namespace: 'team-a', name: 'team-a-fl' },
    } as Entity;
    const events = await asked(async () => {
      for (const [method, path] of [
        ['get', reportPath(teamA)],
        ['get', `${reportPath(teamA)}?refresh=true`],
        ['post', `${reportPath(teamA)}/refresh`],
      ] as const) {
        const response = await portal.as(bob, method, path);
        expect(response.status).toBe(403);
        expect(response.body.error.message).toMatch(
          /^missing permission fl-security\.report\.(read|refresh) on component:team-a\/team-a-fl$/,
        );
      }
    });
    expect(requestsBy(events)).toEqual([]);
  });

  it('lists in the fleet only the entities the caller owns, page by page', async () => {
    const fleetOf = async (user: string) => {
      const refs: string[] = [];
      let cursor: string | undefined;
      do {
        const response = await portal.as(
          user,
          'get',
          `/api/fl-security/v1/reports?limit=7${
            cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
          }`,
        );
        expect(response.status).toBe(200);
        const page = response.body as FleetResponse;
        expect(page.items.length).toBeLessThanOrEqual(7);
        refs.push(...page.items.map(i => i.entityRef));
        cursor = page.nextCursor;
      } while (cursor);
      return refs.sort();
    };
    const owned = (group: string) =>
      [
        component('team-a', 'team-a-fl', teams.a.group, {}),
        component('team-b', 'team-b-fl', teams.b.group, {}),
        ...Object.values(attacks),
        ...loadEntities,
      ]
        .filter(e => e.spec!.owner === group)
        .map(refOf)
        .sort();
    expect(await fleetOf(alice)).toEqual(owned(teams.a.group));
    expect(await fleetOf(bob)).toEqual(owned(teams.b.group));
    expect(await fleetOf('user:default/nobody')).toEqual([]);
  });

  it(`keeps ${LOAD_ENTITIES} concurrent refreshes by several users at or under ${REQUEST_CAP} requests in flight`, async () => {
    const users = Object.values(teams).flatMap(team =>
      team.users.map(user => ({ user, group: team.group })),
    );
    const events = await asked(async () => {
      const responses = await Promise.all(
        loadEntities.map((entity, i) => {
          const mine = users.filter(u => u.group === entity.spec!.owner);
          return portal.as(
            mine[Math.floor(i / 2) % mine.length].user,
            'post',
            `${reportPath(entity)}/refresh`,
          );
        }),
      );
      expect(responses.map(r => r.status)).toEqual(
        Array(LOAD_ENTITIES).fill(200),
      );
      for (const response of responses) {
        const { report } = response.body as EntityReportResponse;
        expect(report.errors).toEqual([]);
        expect(
          report.results
            .filter(r => r.ruleId === 'SCOPE-01')
            .map(r => r.status),
        ).toEqual(['pass', 'pass']);
      }
    });
    const requests = requestsBy(events);
    expect(requests.length).toBeGreaterThan(LOAD_ENTITIES * 20);
    const peak = peakInFlight(events);
    expect(peak).toBeLessThanOrEqual(REQUEST_CAP);
    // Requests did overlap: the cap was needed, not idle.
    expect(peak).toBeGreaterThanOrEqual(2);
  });

  it('answers repeated refreshes inside the interval without a single API request', async () => {
    const [entity] = loadEntities;
    const events = await asked(async () => {
      for (let i = 0; i < 20; i++) {
        const path =
          i % 2
            ? `${reportPath(entity)}?refresh=true`
            : `${reportPath(entity)}/refresh`;
        const response = await portal.as(alice, i % 2 ? 'get' : 'post', path);
        expect(response.status).toBe(429);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    });
    expect(requestsBy(events)).toEqual([]);
  });
});
