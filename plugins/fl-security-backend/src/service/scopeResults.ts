import {
  READER_RULES,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import { FederationRead } from '../reader/federationReader';

const SCOPE_RULE = READER_RULES.find(rule => rule.id === 'SCOPE-01')!;

/**
 * SCOPE-01 results: one per namespace the reader considered in a cluster,
 * `pass` when it was bound and read, `skip` when it was not bound (nothing
 * in it read), `error` when the binding could not be verified.
 */
export function scopeResults(scope: FederationRead['scope']): RuleResult[] {
  return scope.map(entry => ({
    ruleId: SCOPE_RULE.id,
    status: entry.status,
    severity: SCOPE_RULE.severity,
    resource: {
      cluster: entry.cluster,
      kind: 'Namespace',
      name: entry.namespace,
    },
    message: entry.message,
    remediation: SCOPE_RULE.remediation,
  }));
}
