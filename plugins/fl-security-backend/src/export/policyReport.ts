import { createHash } from 'node:crypto';
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ComplianceReport,
  getRuleMetadata,
  NAMESPACE_ENTITY_ANNOTATION,
  NAMESPACE_FEDERATION_LABEL,
  ROLE_LABEL,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import { ClusterSource, ClusterSpec } from '../config/clusters';
import type { ExportFormat } from '../config/settings';
import { ScanTarget } from '../entity/scanTarget';
import { connectCluster, KubeConnection } from '../kube/connection';
import { ClusterSnapshot } from '../reader/engineTypes';
import { FederationRead } from '../reader/federationReader';
import { Limiter } from '../reader/limit';
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

/** Labels naming the entity a PolicyReport belongs to. */
export const ENTITY_KIND_LABEL = 'fl-security/entity-kind';
export const ENTITY_NAMESPACE_LABEL = 'fl-security/entity-namespace';
export const ENTITY_NAME_LABEL = 'fl-security/entity-name';

/**
 * DNS-1123 subdomain made from an entity ref: readable, and unique per
 * entity (a hash of the ref), so two entities sharing a kubernetes-id never
 * write the same object.
 */
export function policyReportName(entityRef: string): string {
  const ref = entityRef.toLocaleLowerCase('en-US');
  const { kind, namespace, name } = parseEntityRef(ref);
  const hash = createHash('sha256').update(ref).digest('hex').slice(0, 10);
  const readable = `${kind}-${namespace}-${name}`
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 200)
    .replace(/^-+|-+$/g, '');
  return `fl-security-${readable}-${hash}`;
}

/** Entity ref parts as label values (the catalog keeps each within 63). */
function entityLabels(entityRef: string): Record<string, string> {
  const { kind, namespace, name } = parseEntityRef(
    entityRef.toLocaleLowerCase('en-US'),
  );
  const value = (v: string) =>
    /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/.test(v) ? v : undefined;
  const labels: Record<string, string> = {};
  for (const [key, v] of [
    [ENTITY_KIND_LABEL, kind],
    [ENTITY_NAMESPACE_LABEL, namespace],
    [ENTITY_NAME_LABEL, name],
  ] as const) {
    const ok = value(v);
    if (ok) labels[key] = ok;
  }
  return labels;
}

/** The results of one cluster (and the federation-wide ones), worst first. */
function clusterResults(report: ComplianceReport, cluster?: string) {
  return report.results
    .filter(r => !r.resource.cluster || r.resource.cluster === cluster)
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
}

function summaryOf(results: readonly RuleResult[]) {
  const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const result of results) summary[result.status] += 1;
  return summary;
}

/**
 * One result as both formats write it: OpenReports' ReportResult keeps the
 * PolicyReport v1alpha2 field names (policy, rule, result, resources,
 * message, properties).
 */
function reportResult(result: RuleResult, seconds: number) {
  return {
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
  };
}

function reportMetadata(
  report: ComplianceReport,
  options: { namespace: string; entityRef: string },
) {
  return {
    name: policyReportName(options.entityRef),
    namespace: options.namespace,
    labels: {
      'app.kubernetes.io/managed-by': 'fl-security',
      [NAMESPACE_FEDERATION_LABEL]: report.federation,
      ...entityLabels(options.entityRef),
    },
    annotations: {
      [NAMESPACE_ENTITY_ANNOTATION]: options.entityRef,
      'fl-security/generated-at': report.generatedAt,
    },
  };
}

/**
 * A wgpolicyk8s.io/v1alpha2 PolicyReport with the results of one cluster
 * (and the federation-wide ones), worst first, capped.
 */
export function toPolicyReport(
  report: ComplianceReport,
  options: { cluster?: string; namespace: string; entityRef: string },
) {
  const results = clusterResults(report, options.cluster);
  const seconds = Math.floor(Date.parse(report.generatedAt) / 1000);
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: reportMetadata(report, options),
    summary: summaryOf(results),
    results: results
      .slice(0, MAX_POLICY_REPORT_RESULTS)
      .map(result => reportResult(result, seconds)),
  };
}

/**
 * The same report as an openreports.io/v1alpha1 Report (what Kyverno moves
 * to). Namespaced only: fl-security writes into a namespace bound to the
 * entity, never cluster-wide, so results about cluster-scoped objects
 * (ClusterIssuers) stay in this Report rather than a ClusterReport. The cap
 * is declared in configuration.limits; the summary counts every result.
 */
export function toOpenReport(
  report: ComplianceReport,
  options: { cluster?: string; namespace: string; entityRef: string },
) {
  const results = clusterResults(report, options.cluster);
  const seconds = Math.floor(Date.parse(report.generatedAt) / 1000);
  return {
    apiVersion: 'openreports.io/v1alpha1',
    kind: 'Report',
    metadata: reportMetadata(report, options),
    source: 'fl-security',
    configuration: { limits: { maxResults: MAX_POLICY_REPORT_RESULTS } },
    summary: summaryOf(results),
    results: results
      .slice(0, MAX_POLICY_REPORT_RESULTS)
      .map(result => reportResult(result, seconds)),
  };
}

/** Where and as what each format is written. */
const FORMATS = {
  policyreport: {
    build: toPolicyReport,
    kind: 'PolicyReport',
    groupVersion: 'wgpolicyk8s.io/v1alpha2',
    plural: 'policyreports',
    auditEventId: 'policy-report-write',
  },
  openreports: {
    build: toOpenReport,
    kind: 'Report',
    groupVersion: 'openreports.io/v1alpha1',
    plural: 'reports',
    auditEventId: 'open-report-write',
  },
} as const;

/**
 * The namespace a cluster's PolicyReport goes to: a namespace the read
 * found bound to the entity, never another. The entity's first annotated
 * namespace if bound, else its bound aggregator namespace.
 */
export function exportNamespace(
  target: ScanTarget,
  snapshot: ClusterSnapshot,
  bound: readonly string[],
): string | undefined {
  const first = target.namespaces?.[0];
  if (first && bound.includes(first)) return first;
  return snapshot.objects.find(
    o =>
      o.kind === 'Namespace' &&
      bound.includes(o.metadata.name) &&
      o.metadata.labels?.[ROLE_LABEL] === 'aggregator',
  )?.metadata.name;
}

export interface PolicyReportExporterOptions {
  logger: LoggerService;
  /** policyreport (default) or openreports. */
  format?: ExportFormat;
  auditor?: AuditorService;
  timeoutMs: number;
  /** The cluster's shared request limiter (the reader's). */
  limiterFor?: (cluster: string) => Limiter;
  connect?: (cluster: string, source: ClusterSource) => Promise<KubeConnection>;
}

/**
 * Server-side applies PolicyReports or OpenReports Reports (field manager
 * `fl-security`), without force: fields another manager owns are never taken over, the write fails
 * with a conflict instead.
 */
export class PolicyReportExporter implements ReportExporter {
  constructor(
    private readonly clusters: ClusterSpec[],
    private readonly options: PolicyReportExporterOptions,
  ) {}

  async export(
    target: ScanTarget,
    report: ComplianceReport,
    read: Pick<FederationRead, 'snapshots' | 'scope'>,
  ): Promise<void> {
    await Promise.all(
      read.snapshots.map(async snapshot => {
        const bound = read.scope
          .filter(s => s.cluster === snapshot.cluster && s.status === 'pass')
          .map(s => s.namespace);
        const namespace = exportNamespace(target, snapshot, bound);
        const spec = this.clusters.find(c => c.name === snapshot.cluster);
        if (!namespace || !spec?.source) return;
        await this.write(
          spec.name,
          spec.source,
          target.owner.entityRef,
          this.format.build(report, {
            cluster: snapshot.cluster,
            namespace,
            entityRef: target.owner.entityRef,
          }),
        );
      }),
    );
  }

  private get format() {
    return FORMATS[this.options.format ?? 'policyreport'];
  }

  private async write(
    cluster: string,
    source: ClusterSource,
    entityRef: string,
    policyReport: { metadata: { namespace: string; name: string } },
  ) {
    const { namespace, name } = policyReport.metadata;
    const { kind, groupVersion, plural } = this.format;
    const group = groupVersion.split('/')[0];
    const event = await this.options.auditor?.createEvent({
      eventId: this.format.auditEventId,
      severityLevel: 'medium',
      meta: { entityRef, cluster, namespace, name },
    });
    const connection = await (this.options.connect ?? connectCluster)(
      cluster,
      source,
    );
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const limit = this.options.limiterFor?.(cluster) ?? (task => task());
    try {
      const response = await limit(() =>
        connection.request({
          method: 'PATCH',
          path: `/apis/${groupVersion}/namespaces/${encodeURIComponent(
            namespace,
          )}/${plural}/${encodeURIComponent(name)}`,
          // No force: a conflict with another manager's fields is an error.
          query: { fieldManager: 'fl-security' },
          // JSON is YAML: server-side apply accepts it as an apply patch.
          contentType: 'application/apply-patch+yaml',
          body: JSON.stringify(policyReport),
          signal: controller.signal,
        }),
      );
      if (response.status === 200 || response.status === 201) {
        await event?.success();
        return;
      }
      let detail = `HTTP ${response.status}`;
      if (response.status === 404) {
        detail = `the ${kind} CRD (${groupVersion}) is not installed`;
      } else if (response.status === 403) {
        detail = `missing permission: patch ${plural} in ${namespace} (${group})`;
      } else if (response.status === 409) {
        detail =
          'another field manager owns fields of it; fl-security never forces an apply';
      }
      const message = `${kind} ${namespace}/${name} not written to cluster ${cluster}: ${detail}`;
      this.options.logger.warn(message);
      await event?.fail({ error: new Error(message) });
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    } finally {
      clearTimeout(timer);
      connection.close();
    }
  }
}
