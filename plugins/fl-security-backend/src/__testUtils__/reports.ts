import {
  ComplianceReport,
  RuleResult,
  summarize,
} from '@fl-security/plugin-fl-security-common';

/** A small report as the engine would produce it. */
export function makeReport(
  options: {
    federation?: string;
    generatedAt?: string;
    statuses?: RuleResult['status'][];
    notAfter?: string[];
    errors?: ComplianceReport['errors'];
  } = {},
): ComplianceReport {
  const results: RuleResult[] = (options.statuses ?? ['pass', 'warn']).map(
    (status, i) => ({
      ruleId: `FLS-TEST-${i}`,
      status,
      severity: 'high',
      resource: {
        cluster: 'aggregator-cluster',
        kind: 'Deployment',
        namespace: 'fl-demo-aggregator',
        name: 'fl-demo-aggregator',
      },
      message: `result ${i}`,
      remediation: 'none',
    }),
  );
  return {
    federation: options.federation ?? 'fl-demo',
    generatedAt: options.generatedAt ?? '2026-08-01T12:00:00.000Z',
    results,
    summary: summarize(results),
    certificates: (options.notAfter ?? []).map((notAfter, i) => ({
      source: {
        cluster: 'aggregator-cluster',
        kind: 'Secret',
        namespace: 'fl-demo-aggregator',
        name: `tls-${i}`,
      },
      chainIndex: 0,
      subject: `CN=cert-${i}`,
      issuer: 'CN=ca',
      dnsNames: [],
      ipAddresses: [],
      serialNumber: '01',
      notBefore: '2026-01-01T00:00:00.000Z',
      notAfter,
      daysLeft: 10 + i,
      keyType: 'ec',
      fingerprintSha256: 'AA',
      isCA: false,
    })),
    reachability: [],
    errors: options.errors ?? [],
  };
}
