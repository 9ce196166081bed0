/*
 * Both export formats against a real kube-apiserver (packages/test-cluster;
 * binaries from scripts/ensure-test-cluster.sh) with the upstream CRDs
 * (__fixtures__/crds, see its NOTICE.md): the API server validates each
 * object against the CRD's schema and prunes fields the schema does not
 * know, so reading the object back proves the format, field by field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import {
  evaluateFederation,
  generateFromInput,
} from '@fl-security/plugin-fl-security-node';
import {
  ADMIN_USER,
  applyManifests,
  describeFailures,
  installCrds,
  kubeRequest,
  parseManifests,
  startTestCluster,
  TestCluster,
} from '@fl-security/test-cluster';
import type { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { testClusterSpec } from '../__testUtils__/testClusterSpec';
import { OWNER } from '../__testUtils__/federationFixture';
import { loadClientNode } from '../kube/clientNode';
import { KubeObject } from '../reader/engineTypes';
import { FederationRead } from '../reader/federationReader';
import type { ExportFormat } from '../config/settings';
import {
  PolicyReportExporter,
  policyReportName,
  toOpenReport,
  toPolicyReport,
} from './policyReport';

jest.setTimeout(180_000);

const PORTAL_USER = 'system:serviceaccount:backstage:backstage';
const CRD_DIR = path.join(__dirname, '__fixtures__', 'crds');
const BOUND = 'fl-export-aggregator';
const UNGRANTED = 'fl-export-other';
const CLUSTER = 'export-cluster';
const NAME = policyReportName(OWNER.entityRef);

const PATHS: Record<ExportFormat, (namespace: string) => string> = {
  policyreport: ns =>
    `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${ns}/policyreports/${NAME}`,
  openreports: ns =>
    `/apis/openreports.io/v1alpha1/namespaces/${ns}/reports/${NAME}`,
};

/** The engine's report on a generated federation: real rules, ids and messages. */
function engineReport(): ComplianceReport {
  const generated = generateFromInput({
    name: 'fl-export',
    participants: [{ name: 'site-a' }],
    network: { exposure: 'ingress-nginx', externalHost: 'fl.example.com' },
  });
  if (!generated.ok) throw new Error(generated.errors.join('; '));
  return evaluateFederation({
    federation: 'fl-export',
    snapshots: [
      {
        cluster: CLUSTER,
        objects: generated.objects as unknown as KubeObject[],
        gaps: [],
      },
    ],
    now: new Date('2026-12-01T00:00:00Z'),
  });
}

function readOf(
  namespace: string,
): Pick<FederationRead, 'snapshots' | 'scope'> {
  return {
    snapshots: [
      {
        cluster: CLUSTER,
        objects: [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {
              name: namespace,
              labels: { 'fl-security/role': 'aggregator' },
            },
          },
        ],
        gaps: [],
      },
    ],
    scope: [{ cluster: CLUSTER, namespace, status: 'pass', message: '' }],
  };
}

describe('report export against a real API server', () => {
  let cluster: TestCluster;
  let installedCrds: string[] = [];
  const report = engineReport();

  beforeAll(async () => {
    await loadClientNode();
    cluster = await startTestCluster({
      name: 'export',
      crds: false,
      users: [{ name: PORTAL_USER }],
    });
    const crds = fs
      .readdirSync(CRD_DIR)
      .filter(file => file.endsWith('.yaml'))
      .sort()
      .flatMap(file =>
        parseManifests(fs.readFileSync(path.join(CRD_DIR, file), 'utf8')),
      );
    installedCrds = await installCrds(cluster, crds);
    // The RBAC the README documents, for both formats, in one namespace only.
    const failures = describeFailures(
      await applyManifests(cluster, [
        ...[BOUND, UNGRANTED].map(name => ({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
        })),
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'fl-security-portal-reports', namespace: BOUND },
          rules: [
            {
              apiGroups: ['wgpolicyk8s.io'],
              resources: ['policyreports'],
              verbs: ['get', 'create', 'patch'],
            },
            {
              apiGroups: ['openreports.io'],
              resources: ['reports'],
              verbs: ['get', 'create', 'patch'],
            },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'fl-security-portal-reports', namespace: BOUND },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Role',
            name: 'fl-security-portal-reports',
          },
          subjects: [{ kind: 'User', name: PORTAL_USER }],
        },
      ]),
    );
    if (failures) throw new Error(failures);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('serves the upstream CRDs of both formats', () => {
    expect(installedCrds).toEqual([
      'clusterreports.openreports.io',
      'reports.openreports.io',
      'policyreports.wgpolicyk8s.io',
    ]);
  });

  function exporter(format: ExportFormat) {
    const logger = mockServices.logger.mock();
    const instance = new PolicyReportExporter(
      [testClusterSpec(CLUSTER, cluster, cluster.tokens[PORTAL_USER])],
      { format, logger, timeoutMs: 20_000 },
    );
    return { logger, instance };
  }

  async function stored(format: ExportFormat, namespace = BOUND) {
    return kubeRequest(cluster, {
      path: PATHS[format](namespace),
      token: cluster.tokens[ADMIN_USER],
    });
  }

  it.each([
    ['policyreport', toPolicyReport, 'PolicyReport'],
    ['openreports', toOpenReport, 'Report'],
  ] as const)(
    'writes a %s the API server keeps field by field',
    async (format, build, kind) => {
      expect(report.results.length).toBeGreaterThan(20);
      const { logger, instance } = exporter(format);
      await instance.export(
        { federation: 'fl-export', labelSelector: 'x=y', owner: OWNER },
        report,
        readOf(BOUND),
      );
      expect(logger.warn).not.toHaveBeenCalled();
      const response = await stored(format);
      expect(response.status).toBe(200);
      const object = response.body;
      const expected = build(report, {
        cluster: CLUSTER,
        namespace: BOUND,
        entityRef: OWNER.entityRef,
      });
      expect(object.kind).toBe(kind);
      // Nothing pruned: every field written is a field of the CRD's schema.
      const { metadata, ...body } = expected;
      const { metadata: storedMetadata, ...storedBody } = object;
      expect(storedBody).toEqual(body);
      expect(storedMetadata).toMatchObject(metadata);
      expect(
        object.metadata.managedFields.map((f: any) => [f.manager, f.operation]),
      ).toEqual([['fl-security', 'Apply']]);
      expect(object.results).toHaveLength(report.results.length);
      expect(object.summary.pass).toBe(
        report.results.filter(r => r.status === 'pass').length,
      );
    },
  );

  it('keeps both formats apart: one report of each, same name', async () => {
    expect((await stored('policyreport')).body.apiVersion).toBe(
      'wgpolicyk8s.io/v1alpha2',
    );
    const open = (await stored('openreports')).body;
    expect(open.apiVersion).toBe('openreports.io/v1alpha1');
    expect(open.source).toBe('fl-security');
    expect(open.configuration).toEqual({ limits: { maxResults: 500 } });
  });

  it.each(['policyreport', 'openreports'] as const)(
    'names the missing permission when RBAC does not allow a %s write',
    async format => {
      const { logger, instance } = exporter(format);
      await instance.export(
        { federation: 'fl-export', labelSelector: 'x=y', owner: OWNER },
        report,
        readOf(UNGRANTED),
      );
      const plural = format === 'policyreport' ? 'policyreports' : 'reports';
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          `not written to cluster ${CLUSTER}: missing permission: patch ${plural} in ${UNGRANTED}`,
        ),
      );
      expect((await stored(format, UNGRANTED)).status).toBe(404);
    },
  );
});
