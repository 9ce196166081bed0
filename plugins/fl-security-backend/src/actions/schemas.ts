import type { z as zod } from 'zod/v3';
import {
  CHECK_STATUSES,
  ClusterError,
  ComplianceReport,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';

/** The zod the actions registry hands to schema builders (zod/v3 API). */
export type Zod = typeof zod;

/** Failing results returned at most per report (the summary counts all). */
export const MAX_FAILING_RESULTS = 200;

const OVERALL = ['compliant', 'warnings', 'violations', 'unknown'] as const;

export const overallSchema = (z: Zod) => z.enum(OVERALL);

export const summarySchema = (z: Zod) =>
  z
    .object(
      Object.fromEntries(CHECK_STATUSES.map(s => [s, z.number().int()])) as {
        [K in (typeof CHECK_STATUSES)[number]]: zod.ZodNumber;
      },
    )
    .describe('Results by status');

export const resourceSchema = (z: Zod) =>
  z.object({
    cluster: z.string().optional(),
    kind: z.string(),
    namespace: z.string().optional(),
    name: z.string(),
  });

export const resultSchema = (z: Zod) =>
  z.object({
    ruleId: z.string(),
    status: z.enum(['fail', 'error', 'warn', 'pass', 'skip']),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
    resource: resourceSchema(z),
    message: z.string(),
    remediation: z.string(),
  });

export const clusterErrorSchema = (z: Zod) =>
  z.object({
    cluster: z.string(),
    message: z.string(),
    missingPermission: z.string().optional(),
  });

/** Worst first: fail, then error; within, by severity. */
const STATUS_RANK: Record<string, number> = { fail: 0, error: 1 };
const SEVERITY_RANK: Record<string, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
};

/**
 * The results that fail or could not be evaluated, worst first, at most
 * MAX_FAILING_RESULTS of them, and how many were left out.
 */
export function failingResults(report: ComplianceReport): {
  failing: RuleResult[];
  failingOmitted: number;
} {
  const all = report.results
    .filter(r => r.status === 'fail' || r.status === 'error')
    .sort(
      (a, b) =>
        STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
    );
  return {
    failing: all.slice(0, MAX_FAILING_RESULTS),
    failingOmitted: Math.max(all.length - MAX_FAILING_RESULTS, 0),
  };
}

/** Cluster errors without anything but their documented fields. */
export function clusterErrors(report: ComplianceReport): ClusterError[] {
  return report.errors.map(({ cluster, message, missingPermission }) => ({
    cluster,
    message,
    ...(missingPermission ? { missingPermission } : {}),
  }));
}
