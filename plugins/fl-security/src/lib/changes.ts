import {
  type ReportChanges,
  type RuleResultRef,
  ruleResultKey,
} from '@fl-security/plugin-fl-security-common';

/** Identity of a result across scans: the rule and the object. */
export function resultKey(ref: RuleResultRef): string {
  return ruleResultKey(ref);
}

/** Keys of the results that started failing since the previous scan. */
export function newFailureKeys(changes?: ReportChanges): ReadonlySet<string> {
  return new Set((changes?.newFailures ?? []).map(resultKey));
}
