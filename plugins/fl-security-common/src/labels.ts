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

/**
 * On the aggregator's exposure (Ingress, TLSRoute) of a federation whose
 * sites run in other clusters: comma-separated CIDRs of its external entry
 * (its load balancer), and the port sites dial there. Site egress is judged
 * against these (NET-05); the exposure's status addresses count too.
 */
export const EXTERNAL_ADDRESSES_ANNOTATION = 'fl-security/external-addresses';
export const EXTERNAL_PORT_ANNOTATION = 'fl-security/external-port';
/**
 * Most addresses one external entry range may hold (a /24 in IPv4, a /120 in
 * IPv6): an entry is a load balancer's addresses, and a wider range would
 * let every site reach all of it while NET-05 passes.
 */
export const MAX_EXTERNAL_ENTRY_ADDRESSES = 256;

/**
 * On the workloads of a site in another cluster than the aggregator: the
 * site's cluster and the aggregator's, as the generator named them. Offline
 * (manifest files carry no cluster) they say the aggregator is elsewhere;
 * live, the cluster a snapshot was read from wins.
 */
export const CLUSTER_ANNOTATION = 'fl-security/cluster';
export const AGGREGATOR_CLUSTER_ANNOTATION = 'fl-security/aggregator-cluster';
