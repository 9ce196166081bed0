import { ResponseError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import {
  type CertificateInfo,
  type ComplianceReport,
  type EntityReportResponse,
  type ReachabilityEntry,
  type RuleResult,
  RULES,
  overallStatus,
  summarize,
} from '@fl-security/plugin-fl-security-common';

/** Test data builders (used by tests only). */

export const FL_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'mnist-fl',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'mnist-fl' },
  },
  spec: {
    type: 'federated-learning',
    owner: 'team-a',
    lifecycle: 'production',
  },
};

export const SERVICE_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'billing', namespace: 'default' },
  spec: { type: 'service', owner: 'team-b', lifecycle: 'production' },
};

export function result(overrides: Partial<RuleResult> = {}): RuleResult {
  return {
    ruleId: 'NET-01',
    status: 'pass',
    severity: 'high',
    resource: {
      cluster: 'kind-a',
      kind: 'Namespace',
      name: 'fl-agg',
    },
    message: 'A default-deny NetworkPolicy selects every pod.',
    remediation: 'Nothing to do.',
    ...overrides,
  };
}

export function certificate(
  overrides: Partial<CertificateInfo> = {},
): CertificateInfo {
  return {
    source: {
      cluster: 'kind-a',
      kind: 'Secret',
      namespace: 'fl-agg',
      name: 'superlink-tls',
    },
    chainIndex: 0,
    subject: 'CN=superlink.fl-agg.svc',
    issuer: 'CN=mnist-fl CA',
    dnsNames: ['superlink.fl-agg.svc', 'superlink.fl-agg.svc.cluster.local'],
    ipAddresses: [],
    serialNumber: '01',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2026-04-01T00:00:00.000Z',
    daysLeft: 60,
    keyType: 'ec',
    keySize: 256,
    curve: 'prime256v1',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    fingerprintSha256: 'AA:BB',
    isCA: false,
    ...overrides,
  };
}

export function reachability(
  overrides: Partial<ReachabilityEntry> = {},
): ReachabilityEntry {
  return {
    target: {
      cluster: 'kind-a',
      kind: 'Deployment',
      namespace: 'fl-agg',
      name: 'superlink',
    },
    port: 9092,
    source: {
      type: 'participant',
      label: 'participants/site-a',
      namespace: 'site-a',
    },
    expected: true,
    via: ['allow-participants'],
    ...overrides,
  };
}

export function report(
  overrides: Partial<ComplianceReport> = {},
): ComplianceReport {
  const results = overrides.results ?? [
    result({
      ruleId: 'NET-04',
      status: 'fail',
      severity: 'critical',
      resource: {
        cluster: 'kind-a',
        kind: 'NetworkPolicy',
        namespace: 'fl-agg',
        name: 'allow-all',
      },
      message: 'namespace/monitoring may reach the aggregator on 9092.',
      remediation: 'Remove namespaceSelector: {} from allow-all.',
    }),
    result({
      ruleId: 'CERT-02',
      status: 'warn',
      severity: 'high',
      resource: {
        cluster: 'kind-a',
        kind: 'Secret',
        namespace: 'fl-agg',
        name: 'superlink-tls',
      },
      message: 'The certificate expires in 20 days.',
      remediation: 'Renew the certificate.',
    }),
    result({ ruleId: 'NET-01', status: 'pass' }),
    result({
      ruleId: 'FL-02',
      status: 'pass',
      message: 'SuperNode authentication is enabled.',
    }),
  ];
  const base: ComplianceReport = {
    federation: 'mnist-fl',
    generatedAt: '2026-02-01T12:00:00.000Z',
    results,
    summary: summarize(results),
    certificates: [
      certificate({ daysLeft: 20, subject: 'CN=superlink.fl-agg.svc' }),
      certificate({
        chainIndex: 1,
        subject: 'CN=mnist-fl CA',
        isCA: true,
        daysLeft: 300,
        fingerprintSha256: 'CC:DD',
      }),
    ],
    reachability: [
      reachability(),
      reachability({
        source: {
          type: 'namespace',
          label: 'namespace/monitoring',
          namespace: 'monitoring',
        },
        expected: false,
        via: ['allow-all'],
      }),
    ],
    errors: [],
  };
  return { ...base, ...overrides, summary: summarize(results) };
}

export function response(
  reportOverrides: Partial<ComplianceReport> = {},
): EntityReportResponse {
  const r = report(reportOverrides);
  return {
    entityRef: 'component:default/mnist-fl',
    overall: overallStatus(r.summary, r.errors.length),
    report: r,
    history: [],
  };
}

/** `count` results cycling through every rule and status. */
export function manyResults(count: number): RuleResult[] {
  const statuses = ['pass', 'warn', 'fail', 'error', 'skip'] as const;
  return Array.from({ length: count }, (_, i) =>
    result({
      ruleId: RULES[i % RULES.length].id,
      status: statuses[i % statuses.length],
      severity: RULES[i % RULES.length].severity,
      resource: {
        cluster: 'kind-a',
        kind: 'Deployment',
        namespace: `site-${i % 50}`,
        name: `workload-${i}`,
      },
      message: `Result number ${i}.`,
    }),
  );
}

/**
 * A ResponseError as the client throws it for a failed backend call, from a
 * body in the shape of Backstage's error handler.
 */
export function responseError(
  status: number,
  name: string,
  message: string,
): Promise<Error> {
  const body = {
    error: { name, message },
    request: { method: 'GET', url: '/api/fl-security/v1/reports' },
    response: { statusCode: status },
  };
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status,
      statusText: name,
      headers: { 'content-type': 'application/json' },
    }) as any,
  );
}
