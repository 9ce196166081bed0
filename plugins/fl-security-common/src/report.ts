/**
 * The compliance report: the one JSON shape shared by the engine, the
 * offline checker, the backend API and the frontend.
 */

/** Outcome of one rule on one resource. `error` means "could not evaluate". */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error' | 'skip';

export const CHECK_STATUSES: readonly CheckStatus[] = [
  'pass',
  'warn',
  'fail',
  'error',
  'skip',
];

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Grouping used by the entity tab. */
export type RuleArea =
  | 'network'
  | 'tls'
  | 'end-to-end'
  | 'participant-auth'
  | 'pod-security'
  /** Which image content runs (digest pins, pull policy). */
  | 'images'
  | 'secrets'
  | 'mesh'
  /** What the portal was allowed to read (namespace bindings). */
  | 'scope';

/** A Kubernetes object a result is about. */
export interface ResourceRef {
  /** Cluster name; absent for offline (manifest) checks. */
  cluster?: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface RuleResult {
  ruleId: string;
  status: CheckStatus;
  severity: Severity;
  resource: ResourceRef;
  message: string;
  remediation: string;
}

export type StatusSummary = Record<CheckStatus, number>;

/** Certificate metadata. Never carries key material or Secret data. */
export interface CertificateInfo {
  /** The Secret (or file) the certificate was read from. */
  source: ResourceRef;
  /** Position in the PEM chain of the source, 0 = leaf. */
  chainIndex: number;
  subject: string;
  issuer: string;
  dnsNames: string[];
  ipAddresses: string[];
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Whole days from the report's clock to notAfter (negative when expired). */
  daysLeft: number;
  keyType: string;
  /** RSA modulus bits, or EC curve size in bits. */
  keySize?: number;
  /** EC named curve, e.g. prime256v1. */
  curve?: string;
  signatureAlgorithm?: string;
  fingerprintSha256: string;
  isCA: boolean;
}

/** Who may open a connection to the aggregator's FL port, per NetworkPolicy. */
export interface ReachabilityEntry {
  /** The aggregator pod or workload. */
  target: ResourceRef;
  port: number;
  source: ReachabilitySource;
  /** True when the source is a participant or declared in fl-security/allowed-sources. */
  expected: boolean;
  /**
   * NetworkPolicies whose rules admit this source; for a participant in
   * another cluster than the target, the site's egress policies.
   */
  via: string[];
  /** Why an unexpected entry is unexpected, when the source's own rules say (a site's egress verdict). */
  reason?: string;
}

export interface ReachabilitySource {
  type: 'participant' | 'pod' | 'namespace' | 'cidr' | 'any';
  /** Human-readable: "participants/site-a", "namespace/ingress-nginx", "0.0.0.0/0". */
  label: string;
  cluster?: string;
  namespace?: string;
}

/** A cluster, kind or object the reader could not obtain. */
export interface ClusterError {
  cluster: string;
  message: string;
  /** For authorization failures: the verb/resource that is missing. */
  missingPermission?: string;
}

export interface ComplianceReport {
  /** Value of backstage.io/kubernetes-id (or the entity name). */
  federation: string;
  generatedAt: string;
  results: RuleResult[];
  summary: StatusSummary;
  certificates: CertificateInfo[];
  reachability: ReachabilityEntry[];
  errors: ClusterError[];
}

/** Counts results by status. */
export function summarize(results: readonly RuleResult[]): StatusSummary {
  const summary: StatusSummary = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const result of results) {
    summary[result.status] += 1;
  }
  return summary;
}

export type OverallStatus = 'compliant' | 'warnings' | 'violations' | 'unknown';

/**
 * One word for a report: any fail is a violation; errors without fails mean
 * we could not tell (fail closed, never "compliant").
 */
export function overallStatus(
  summary: StatusSummary | undefined,
  clusterErrors = 0,
): OverallStatus {
  if (!summary) return 'unknown';
  if (summary.fail > 0) return 'violations';
  if (summary.error > 0 || clusterErrors > 0) return 'unknown';
  if (summary.pass + summary.warn === 0) return 'unknown';
  if (summary.warn > 0) return 'warnings';
  return 'compliant';
}
