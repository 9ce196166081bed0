import {
  ClusterError,
  READER_RULES,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import { FederationRead, FederationTarget } from '../reader/federationReader';

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
 * (nothing of it evaluated), naming the cluster and why, then one `error` per
 * namespace the entity places in that cluster (`cluster/namespace` entries: a
 * site's namespaces), so the site shows as not evaluated rather than absent.
 * The clusters that answered keep their results.
 */
export function unreadClusterResults(
  errors: readonly ClusterError[],
  target?: FederationTarget,
): RuleResult[] {
  const seen = new Set<string>();
  const out: RuleResult[] = [];
  for (const error of errors) {
    // '-': no cluster at all (none configured, invalid annotations).
    if (error.cluster === '-' || seen.has(error.cluster)) continue;
    seen.add(error.cluster);
    const why = error.message.replace(/\.$/, '');
    const result = (resource: RuleResult['resource'], message: string) => ({
      ruleId: CLUSTER_RULE.id,
      status: 'error' as const,
      severity: CLUSTER_RULE.severity,
      resource,
      message,
      remediation: CLUSTER_RULE.remediation,
    });
    out.push(
      result(
        { cluster: error.cluster, kind: 'Cluster', name: error.cluster },
        `Cluster ${error.cluster} was not read: ${why}. Nothing in it (its sites, policies, certificates) was evaluated.`,
      ),
    );
    const namespaces = target?.clusterNamespaces?.[error.cluster] ?? [];
    for (const namespace of [...namespaces].sort()) {
      out.push(
        result(
          { cluster: error.cluster, kind: 'Namespace', name: namespace },
          `Namespace ${namespace} in cluster ${error.cluster} was not evaluated: the cluster was not read (${why}).`,
        ),
      );
    }
  }
  return out;
}
