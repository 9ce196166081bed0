import type { ReportChanges, RuleResultRef, VerdictChange } from './api';
import type { CheckStatus, ComplianceReport, RuleResult } from './report';

/** Worse verdicts rank higher: one verdict per rule and object. */
const RANK: Record<CheckStatus, number> = {
  skip: 0,
  pass: 1,
  warn: 2,
  error: 3,
  fail: 4,
};

function failing(status: CheckStatus | undefined): boolean {
  return status === 'fail' || status === 'error';
}

/** Identity of a result across scans: the rule and the object. */
export function ruleResultKey(ref: RuleResultRef): string {
  const { cluster, namespace, kind, name } = ref.resource;
  return JSON.stringify([
    ref.ruleId,
    cluster ?? '',
    namespace ?? '',
    kind,
    name,
  ]);
}

/** The worst verdict of each rule on each object, in report order. */
function verdicts(
  results: readonly RuleResult[],
): Map<string, { ref: RuleResultRef; status: CheckStatus }> {
  const byKey = new Map<string, { ref: RuleResultRef; status: CheckStatus }>();
  for (const { ruleId, resource, status } of results) {
    const ref = { ruleId, resource };
    const key = ruleResultKey(ref);
    const known = byKey.get(key);
    if (!known || RANK[status] > RANK[known.status]) {
      byKey.set(key, { ref: known?.ref ?? ref, status });
    }
  }
  return byKey;
}

/**
 * What changed from `previous` to `latest`: results failing (or erroring)
 * now that were not before, results failing before that pass now, and
 * every other changed verdict. A failing result that is no longer reported
 * is not "fixed" (the object may just not have been read): it is listed
 * under `changed` without `to`.
 */
export function compareReports(
  previous: Pick<ComplianceReport, 'generatedAt' | 'results'>,
  latest: Pick<ComplianceReport, 'results'>,
): ReportChanges {
  const before = verdicts(previous.results);
  const now = verdicts(latest.results);
  const newFailures: RuleResultRef[] = [];
  const fixed: RuleResultRef[] = [];
  const changed: VerdictChange[] = [];
  for (const [key, { ref, status }] of now) {
    const from = before.get(key)?.status;
    if (from === status) continue;
    if (failing(status) && !failing(from)) newFailures.push(ref);
    else if (failing(from) && status === 'pass') fixed.push(ref);
    else changed.push({ ...ref, ...(from ? { from } : {}), to: status });
  }
  for (const [key, { ref, status }] of before) {
    if (!now.has(key)) changed.push({ ...ref, from: status });
  }
  return {
    previousGeneratedAt: previous.generatedAt,
    newFailures,
    fixed,
    changed,
  };
}
