/** A kind the reader lists, and how. */
export interface ResourceKind {
  kind: string;
  group: string;
  /** Served versions to try, preferred first (CRDs move between versions). */
  versions: string[];
  plural: string;
  /**
   * `label`: only objects matching the entity's label selector (the generator
   * labels every object it writes). `namespace`: every object in the
   * namespace, because objects written by others change the verdict too: any
   * Service or Ingress can expose the aggregator, any NetworkPolicy selecting
   * it decides who reaches it.
   */
  selection: 'label' | 'namespace';
  /** A CRD that may be missing: its absence is a `skip`, not an error. */
  optional: boolean;
}

const core = (
  kind: string,
  plural: string,
  selection: 'label' | 'namespace',
): ResourceKind => ({
  kind,
  group: '',
  versions: ['v1'],
  plural,
  selection,
  optional: false,
});

/** Namespaced kinds listed per namespace. Secrets are never listed. */
export const LISTED_KINDS: ResourceKind[] = [
  core('Pod', 'pods', 'label'),
  core('Service', 'services', 'namespace'),
  core('ConfigMap', 'configmaps', 'label'),
  {
    kind: 'Deployment',
    group: 'apps',
    versions: ['v1'],
    plural: 'deployments',
    selection: 'label',
    optional: false,
  },
  {
    kind: 'StatefulSet',
    group: 'apps',
    versions: ['v1'],
    plural: 'statefulsets',
    selection: 'label',
    optional: false,
  },
  {
    kind: 'DaemonSet',
    group: 'apps',
    versions: ['v1'],
    plural: 'daemonsets',
    selection: 'label',
    optional: false,
  },
  {
    kind: 'Job',
    group: 'batch',
    versions: ['v1'],
    plural: 'jobs',
    selection: 'label',
    optional: false,
  },
  {
    kind: 'NetworkPolicy',
    group: 'networking.k8s.io',
    versions: ['v1'],
    plural: 'networkpolicies',
    selection: 'namespace',
    optional: false,
  },
  {
    kind: 'Ingress',
    group: 'networking.k8s.io',
    versions: ['v1'],
    plural: 'ingresses',
    selection: 'namespace',
    optional: false,
  },
  {
    kind: 'Certificate',
    group: 'cert-manager.io',
    versions: ['v1'],
    plural: 'certificates',
    selection: 'namespace',
    optional: true,
  },
  {
    kind: 'Issuer',
    group: 'cert-manager.io',
    versions: ['v1'],
    plural: 'issuers',
    selection: 'namespace',
    optional: true,
  },
  {
    kind: 'Gateway',
    group: 'gateway.networking.k8s.io',
    versions: ['v1', 'v1beta1'],
    plural: 'gateways',
    selection: 'namespace',
    optional: true,
  },
  {
    kind: 'TLSRoute',
    group: 'gateway.networking.k8s.io',
    versions: ['v1', 'v1alpha3', 'v1alpha2'],
    plural: 'tlsroutes',
    selection: 'namespace',
    optional: true,
  },
  {
    kind: 'PeerAuthentication',
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    plural: 'peerauthentications',
    selection: 'namespace',
    optional: true,
  },
  {
    kind: 'DestinationRule',
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    plural: 'destinationrules',
    selection: 'namespace',
    optional: true,
  },
];

/** Cluster-scoped kinds read by name when a Certificate refers to them. */
export const CLUSTER_ISSUER: ResourceKind = {
  kind: 'ClusterIssuer',
  group: 'cert-manager.io',
  versions: ['v1'],
  plural: 'clusterissuers',
  selection: 'namespace',
  optional: true,
};

export const SECRET: ResourceKind = core('Secret', 'secrets', 'namespace');
export const CONFIG_MAP: ResourceKind = core(
  'ConfigMap',
  'configmaps',
  'label',
);
export const NAMESPACE: ResourceKind = core(
  'Namespace',
  'namespaces',
  'namespace',
);

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}
