/** Labels and annotations that tie workloads, entities and reports together. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
export const KUBERNETES_CLUSTER_ANNOTATION = 'backstage.io/kubernetes-cluster';

/** `aggregator` | `participant` on every FL workload. */
export const ROLE_LABEL = 'fl-security/role';
/** Comma-separated `namespace/<name>` and CIDRs allowed to reach the aggregator. */
export const ALLOWED_SOURCES_ANNOTATION = 'fl-security/allowed-sources';
/** Namespace allowed to reach the control API. */
export const ADMIN_NAMESPACE_ANNOTATION = 'fl-security/admin-namespace';

/** Catalog spec.type of FL components. */
export const FL_COMPONENT_TYPE = 'federated-learning';

/**
 * On a participant workload: comma-separated `namespace/<name>` and CIDRs it
 * may reach besides the aggregator and DNS (e.g. a Vault server).
 */
export const ALLOWED_EGRESS_ANNOTATION = 'fl-security/allowed-egress';
