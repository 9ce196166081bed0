import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ComplianceReport,
  getRuleMetadata,
  ROLE_LABEL,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import { ClusterSource, ClusterSpec } from '../config/clusters';
import { ScanTarget } from '../entity/scanTarget';
import { connectCluster, KubeConnection } from '../kube/connection';
import { ClusterSnapshot } from '../reader/engineTypes';
import { ReportExporter } from '../service/ReportService';

/** Keeps PolicyReports small (etcd objects are limited to ~1.5 MiB). */
export const MAX_POLICY_REPORT_RESULTS = 500;

const STATUS_ORDER: Record<RuleResult['status'], number> = {
  fail: 0,
  error: 1,
  warn: 2,
  skip: 3,
  pass: 4,
};

/** DNS-1123 subdomain made from a federation id. */
export function policyReportName(federation: string): string {
  const name = `fl-security-${federation}`
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-+$/, '');
  return name.slice(0, 253);
}

/**
 * A wgpolicyk8s.io/v1alpha2 PolicyReport with the results of one cluster
 * (and the federation-wide ones), worst first, capped.
 */
export function toPolicyReport(
  report: ComplianceReport,
  options: { cluster?: string; namespace: string },
) {
  const results = report.results
    .filter(r => !r.resource.cluster || r.resource.cluster === options.cluster)
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const result of results) summary[result.status] += 1;
  const seconds = Math.floor(Date.parse(report.generatedAt) / 1000);
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: {
      name: policyReportName(report.federation),
      namespace: options.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'fl-security',
        'backstage.io/kubernetes-id': report.federation,
      },
      annotations: { 'fl-security/generated-at': report.generatedAt },
    },
    summary,
    results: results.slice(0, MAX_POLICY_REPORT_RESULTS).map(result => ({
      policy: 'fl-security',
      rule: result.ruleId,
      result: result.status,
      severity: result.severity,
      category: getRuleMetadata(result.ruleId)?.area ?? 'fl-security',
      source: 'fl-security',
      message: result.message.slice(0, 1024),
      timestamp: { seconds, nanos: 0 },
      resources: [
        {
          kind: result.resource.kind,
          name: result.resource.name,
          ...(result.resource.namespace
            ? { namespace: result.resource.namespace }
            : {}),
        },
      ],
      properties: { remediation: result.remediation.slice(0, 1024) },
    })),
  };
}

/**
 * The namespace a cluster's PolicyReport goes to: the entity's first
 * namespace, else the aggregator's namespace, if present in that cluster.
 */
function exportNamespace(
  target: ScanTarget,
  snapshot: ClusterSnapshot,
): string | undefined {
  const namespaces = snapshot.objects.filter(o => o.kind === 'Namespace');
  const first = target.namespaces?.[0];
  if (first && namespaces.some(ns => ns.metadata.name === first)) return first;
  return namespaces.find(
    ns => ns.metadata.labels?.[ROLE_LABEL] === 'aggregator',
  )?.metadata.name;
}

/** Server-side applies PolicyReports (field manager `fl-security`). */
export class PolicyReportExporter implements ReportExporter {
  constructor(
    private readonly clusters: ClusterSpec[],
    private readonly options: {
      logger: LoggerService;
      timeoutMs: number;
      connect?: (
        cluster: string,
        source: ClusterSource,
      ) => Promise<KubeConnection>;
    },
  ) {}

  async export(
    target: ScanTarget,
    report: ComplianceReport,
    snapshots: ClusterSnapshot[],
  ): Promise<void> {
    await Promise.all(
      snapshots.map(async snapshot => {
        const namespace = exportNamespace(target, snapshot);
        const spec = this.clusters.find(c => c.name === snapshot.cluster);
        if (!namespace || !spec?.source) return;
        await this.write(
          spec.name,
          spec.source,
          toPolicyReport(report, {
            cluster: snapshot.cluster,
            namespace,
          }),
        );
      }),
    );
  }

  private async write(
    cluster: string,
    source: ClusterSource,
    policyReport: ReturnType<typeof toPolicyReport>,
  ) {
    const { namespace, name } = policyReport.metadata;
    const connection = await (this.options.connect ?? connectCluster)(
      cluster,
      source,
    );
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await connection.request({
        method: 'PATCH',
        path: `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${encodeURIComponent(
          namespace,
        )}/policyreports/${encodeURIComponent(name)}`,
        query: { fieldManager: 'fl-security', force: 'true' },
        // JSON is YAML: server-side apply accepts it as an apply patch.
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify(policyReport),
        signal: controller.signal,
      });
      if (response.status === 200 || response.status === 201) return;
      let detail = `HTTP ${response.status}`;
      if (response.status === 404) {
        detail =
          'the PolicyReport CRD (wgpolicyk8s.io/v1alpha2) is not installed';
      } else if (response.status === 403) {
        detail = `missing permission: patch policyreports in ${namespace} (wgpolicyk8s.io)`;
      }
      this.options.logger.warn(
        `PolicyReport ${namespace}/${name} not written to cluster ${cluster}: ${detail}`,
      );
    } finally {
      clearTimeout(timer);
      connection.close();
    }
  }
}
