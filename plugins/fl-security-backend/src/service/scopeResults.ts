import {
  ClusterError,
  READER_RULES,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import { FederationRead } from '../reader/federationReader';

const SCOPE_RULE = READER_RULES.find(rule => rule.id === 'SCOPE-01')!;
const CLUSTER_RULE = READER_RULES.find(rule => rule.id === 'SCOPE-02')!;

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

/**
 * SCOPE-02 results: one `error` per cluster that could not be read at all
 * (nothing of it evaluated), naming the cluster and why. The clusters that
 * answered keep their results.
 */
export function unreadClusterResults(
  errors: readonly ClusterError[],
): RuleResult[] {
  const seen = new Set<string>();
  const out: RuleResult[] = [];
  for (const error of errors) {
    // '-': no cluster at all (none configured, invalid annotations).
    if (error.cluster === '-' || seen.has(error.cluster)) continue;
    seen.add(error.cluster);
    out.push({
      ruleId: CLUSTER_RULE.id,
      status: 'error',
      severity: CLUSTER_RULE.severity,
      resource: { cluster: error.cluster, kind: 'Cluster', name: error.cluster },
      message: `Cluster ${error.cluster} was not read: ${error.message.replace(/\.$/, '')}. Nothing in it (its sites, policies, certificates) was evaluated.`,
      remediation: CLUSTER_RULE.remediation,
    });
  }
  return out;
}
