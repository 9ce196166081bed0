/**
 * Seeds one local API server with a cross-silo federation's bundles, every
 * simulated cluster in the same server (one namespace set per cluster), plus
 * a single-cluster federation of the same size for comparison. Bundles
 * of different clusters share cluster-scoped names: the portal's ClusterRole
 * (its rules' resourceNames differ per cluster) is merged into one, identical
 * objects (trust-manager's Bundle, the ClusterRoleBinding) are applied once.
 */
import { performance } from 'node:perf_hooks';
import { Entity } from '@backstage/catalog-model';
import { requestServiceAccountToken } from '@fl-security/demo-cluster';
import { FederationSpec } from '@fl-security/plugin-fl-security-common';
import {
  clusterBundleObjects,
  generateFederationProject,
} from '@fl-security/plugin-fl-security-node';
import {
  kubeRequest,
  statusMessage,
  TestCluster,
} from '@fl-security/test-cluster';
import { progress } from '../lib/args';
import { podsOfDeployments } from '../live/pods';
import { applyAll, applyFederation, issueAll } from '../lib/apply';

const TOKEN_SECONDS = 6 * 3600;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: unknown;
  rules?: { resourceNames?: string[]; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** Objects of each bundle (deploy/clusters/<cluster>/), by cluster name. */
export function objectsByCluster(
  spec: FederationSpec,
): Map<string, Manifest[]> {
  return clusterBundleObjects(generateFederationProject(spec).files) as Map<
    string,
    Manifest[]
  >;
}

function ruleKey(rule: { resourceNames?: string[] }): string {
  const { resourceNames: _names, ...rest } = rule;
  return JSON.stringify(rest);
}

/** One ClusterRole whose rules name every cluster's objects. */
function mergeClusterRoles(roles: Manifest[]): Manifest {
  const merged = new Map<string, { resourceNames?: string[] }>();
  for (const rule of roles.flatMap(role => role.rules ?? [])) {
    const key = ruleKey(rule);
    const seen = merged.get(key);
    if (!seen)
      merged.set(key, {
        ...rule,
        resourceNames: [...(rule.resourceNames ?? [])],
      });
    else
      seen.resourceNames = [
        ...new Set([...seen.resourceNames!, ...(rule.resourceNames ?? [])]),
      ];
  }
  return { ...roles[0], rules: [...merged.values()] };
}

/** Every cluster's objects in one server: cluster-scoped names once. */
export function sharedServerObjects(
  byCluster: Map<string, Manifest[]>,
): Manifest[] {
  const namespaced: Manifest[] = [];
  const clusterScoped = new Map<string, Manifest[]>();
  for (const object of [...byCluster.values()].flat()) {
    if (object.metadata.namespace || object.kind === 'Namespace')
      namespaced.push(object);
    else {
      const key = `${object.kind}/${object.metadata.name}`;
      clusterScoped.set(key, [...(clusterScoped.get(key) ?? []), object]);
    }
  }
  const once = [...clusterScoped.values()].map(same => {
    if (same[0].kind === 'ClusterRole') return mergeClusterRoles(same);
    const text = JSON.stringify(same[0]);
    if (same.some(o => JSON.stringify(o) !== text)) {
      throw new Error(
        `${same[0].kind} ${same[0].metadata.name} differs between clusters`,
      );
    }
    return same[0];
  });
  return [...namespaced, ...once];
}

export function componentEntity(
  spec: FederationSpec,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: spec.name, namespace: 'default', annotations },
    spec: {
      type: 'federated-learning',
      lifecycle: 'experimental',
      owner: 'group:ml-platform',
    },
  };
}

/**
 * Applies every federation's objects (namespaces first), issues the
 * certificates once for all (issuing re-issues every Certificate of the
 * server), creates the Pods; returns the portal's token (generated RBAC only).
 */
export async function seedAll(
  cluster: TestCluster,
  objects: Manifest[],
  portal: FederationSpec['portal'],
) {
  const started = performance.now();
  await applyFederation(cluster, objects);
  const certificates = await issueAll(cluster);
  const pods = podsOfDeployments(objects);
  await applyAll(cluster, pods, 'pods', 'create');
  const token = await requestServiceAccountToken(
    cluster,
    portal.serviceAccount.namespace,
    portal.serviceAccount.name,
    TOKEN_SECONDS,
  );
  const seedMs = performance.now() - started;
  progress(
    `seeded ${objects.length} objects, ${
      certificates.issued.length
    } certificates, ${pods.length} pods in ${(seedMs / 1000).toFixed(1)} s`,
  );
  return {
    token,
    seedMs,
    objects: objects.length,
    certificates: certificates.issued.length,
    pods: pods.length,
  };
}

/**
 * What the aggregator operator copies into tls.caBundle once cert-manager
 * has issued the CA: the CA Certificate's Secret, key ca.crt (base64).
 */
export async function issuedCaBundle(
  cluster: TestCluster,
  hubObjects: Manifest[],
): Promise<string> {
  const cas = hubObjects.filter(
    o => o.kind === 'Certificate' && (o.spec as { isCA?: boolean })?.isCA,
  );
  if (cas.length !== 1)
    throw new Error(
      `expected one CA Certificate in the hub bundle, found ${cas.length}`,
    );
  const { secretName } = cas[0].spec as { secretName: string };
  const namespace = cas[0].metadata.namespace;
  const response = await kubeRequest(cluster, {
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}/secrets/${secretName}`,
    token: cluster.adminToken,
  });
  if (response.status !== 200)
    throw new Error(
      `CA Secret ${namespace}/${secretName}: ${statusMessage(response)}`,
    );
  return (response.body as { data: Record<string, string> }).data['ca.crt'];
}

/** Applies the objects that differ from `before` (the sites' CA bundles after the CA is copied in). */
export async function applyChanged(
  cluster: TestCluster,
  before: Manifest[],
  after: Manifest[],
): Promise<number> {
  const key = (o: Manifest) =>
    `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const old = new Map(before.map(o => [key(o), JSON.stringify(o)]));
  const changed = after.filter(o => old.get(key(o)) !== JSON.stringify(o));
  await applyAll(cluster, changed, 'changed objects');
  return changed.length;
}
