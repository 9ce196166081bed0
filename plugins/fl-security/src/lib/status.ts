import type {
  CheckStatus,
  OverallStatus,
  Severity,
} from '@fl-security/plugin-fl-security-common';

/** Display order of rule statuses: what needs action first. */
export const STATUS_ORDER: readonly CheckStatus[] = [
  'fail',
  'error',
  'warn',
  'skip',
  'pass',
];

export const STATUS_LABELS: Record<CheckStatus, string> = {
  fail: 'Fail',
  error: 'Error',
  warn: 'Warning',
  skip: 'Skipped',
  pass: 'Pass',
};

export const SEVERITY_ORDER: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
];

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const OVERALL_LABELS: Record<OverallStatus, string> = {
  compliant: 'Compliant',
  warnings: 'Warnings',
  violations: 'Violations',
  unknown: 'Unknown',
};

/** Sort rank of overall statuses: worst first. */
export const OVERALL_RANK: Record<OverallStatus, number> = {
  violations: 0,
  unknown: 1,
  warnings: 2,
  compliant: 3,
};
