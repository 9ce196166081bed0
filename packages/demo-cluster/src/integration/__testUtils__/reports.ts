import {
  ComplianceReport,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';

/** `RULE status Kind namespace/name`: what a result is about, without its text. */
export function resultKey(r: RuleResult): string {
  const { kind, namespace, name } = r.resource;
  return `${r.ruleId} ${r.status} ${kind} ${
    namespace ? `${namespace}/` : ''
  }${name}`;
}

/** Results with one of the statuses, sorted by key. */
export function resultsWith(
  report: ComplianceReport,
  ...statuses: RuleResult['status'][]
): RuleResult[] {
  return report.results
    .filter(r => statuses.includes(r.status))
    .sort((a, b) => resultKey(a).localeCompare(resultKey(b)));
}

/** Keys of every fail, error and warn: what a reader of the report must act on. */
export function problems(report: ComplianceReport): string[] {
  return resultsWith(report, 'fail', 'error', 'warn').map(resultKey);
}

/** The one result of a rule on a resource (throws when absent, to name it). */
export function resultFor(
  report: ComplianceReport,
  ruleId: string,
  name: string,
  namespace?: string,
): RuleResult {
  const found = report.results.find(
    r =>
      r.ruleId === ruleId &&
      r.resource.name === name &&
      (namespace === undefined || r.resource.namespace === namespace),
  );
  if (!found) {
    throw new Error(
      `no ${ruleId} result for ${namespace ?? '*'}/${name} in:\n${report.results
        .map(resultKey)
        .join('\n')}`,
    );
  }
  return found;
}
