/**
 * Read access for the portal's compliance view, per FL namespace, so the
 * portal needs no cluster-wide Secret access. `list` cannot be narrowed by
 * resourceNames, so Secrets get `get` on named TLS Secrets only.
 */
import { FederationSpec } from '@fl-security/plugin-fl-security-common';
import { labels, manifest, Manifest } from './meta';
import { PORTAL_ROLE, portalClusterRoleName } from './names';

const RBAC = 'rbac.authorization.k8s.io/v1';

function readRules(secretNames: string[]) {
  const read = ['get', 'list'];
  const rules: Record<string, unknown>[] = [];
  if (secretNames.length > 0) {
    // Certificate expiry, SANs and key type are read from these Secrets.
    rules.push({ apiGroups: [''], resources: ['secrets'], resourceNames: secretNames, verbs: ['get'] });
  }
  rules.push(
    // Workloads and what they mount or read: TLS flags, env, ConfigMaps
    // (secrets in plain config), exposure through Services.
    { apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: read },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: read },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: read },
    // Reachability (NetworkPolicies) and external entry points (Ingresses).
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: read },
    // Certificate status (Ready, notAfter) and which issuer signs them.
    { apiGroups: ['cert-manager.io'], resources: ['certificates', 'issuers'], verbs: read },
    // TLS passthrough routes and their gateways.
    { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', 'tlsroutes'], verbs: read },
    // Mesh mutual TLS mode.
    { apiGroups: ['security.istio.io'], resources: ['peerauthentications'], verbs: read },
    { apiGroups: ['networking.istio.io'], resources: ['destinationrules'], verbs: read },
  );
  return rules;
}

function portalSubject(spec: FederationSpec) {
  const sa = spec.portal.serviceAccount;
  return { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace };
}

export function portalNamespaceAccess(
  spec: FederationSpec,
  namespace: string,
  secretNames: string[],
): Manifest[] {
  const rbacLabels = () => labels(spec, { role: 'rbac' });
  return [
    manifest(RBAC, 'Role', { name: PORTAL_ROLE, namespace, labels: rbacLabels() }, {
      rules: readRules(secretNames),
    }),
    manifest(RBAC, 'RoleBinding', { name: PORTAL_ROLE, namespace, labels: rbacLabels() }, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: PORTAL_ROLE },
      subjects: [portalSubject(spec)],
    }),
  ];
}

/** Cluster-scoped reads, narrowed to this federation's objects by name. */
export function portalClusterAccess(
  spec: FederationSpec,
  namespaces: string[],
  clusterIssuers: string[],
  trustBundles: string[] = [],
): Manifest[] {
  const name = portalClusterRoleName(spec);
  const rules: Record<string, unknown>[] = [
    // Namespace labels: Pod Security level, mesh injection, and the binding
    // to the catalog entity, verified before anything in it is read.
    { apiGroups: [''], resources: ['namespaces'], resourceNames: namespaces, verbs: ['get'] },
  ];
  if (clusterIssuers.length > 0) {
    // Issuer kind and health of the federation's ClusterIssuers.
    rules.push({ apiGroups: ['cert-manager.io'], resources: ['clusterissuers'], resourceNames: clusterIssuers, verbs: ['get'] });
  }
  if (trustBundles.length > 0) {
    // Which CAs a site's trust-manager Bundle distributes.
    rules.push({ apiGroups: ['trust.cert-manager.io'], resources: ['bundles'], resourceNames: trustBundles, verbs: ['get'] });
  }
  return [
    manifest(RBAC, 'ClusterRole', { name, labels: labels(spec, { role: 'rbac' }) }, { rules }),
    manifest(RBAC, 'ClusterRoleBinding', { name, labels: labels(spec, { role: 'rbac' }) }, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [portalSubject(spec)],
    }),
  ];
}
