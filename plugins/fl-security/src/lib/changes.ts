import type {
  ReportChanges,
  RuleResultRef,
} from '@fl-security/plugin-fl-security-common';

/** Identity of a result across scans: the rule and the object. */
export function resultKey(ref: RuleResultRef): string {
  const { cluster, namespace, kind, name } = ref.resource;
  return JSON.stringify([
    ref.ruleId,
    cluster ?? '',
    namespace ?? '',
    kind,
    name,
  ]);
}

/** Keys of the results that started failing since the previous scan. */
export function newFailureKeys(changes?: ReportChanges): ReadonlySet<string> {
  return new Set((changes?.newFailures ?? []).map(resultKey));
}
