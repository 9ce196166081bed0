import {
  kubeRequest,
  statusMessage,
  TestCluster,
} from '@fl-security/test-cluster';

/**
 * Changes one object as the cluster admin (what an operator or an attacker
 * with write access would do); throws unless the API server accepted it.
 */
export async function adminChange(
  cluster: TestCluster,
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  contentType?: 'application/merge-patch+json' | 'application/json-patch+json',
): Promise<void> {
  const response = await kubeRequest(cluster, {
    method,
    path,
    token: cluster.adminToken,
    body,
    contentType,
  });
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${method} ${path}: ${statusMessage(response)}`);
  }
}

export const mergePatch = 'application/merge-patch+json' as const;
export const jsonPatch = 'application/json-patch+json' as const;

/**
 * Waits until `token` is denied `path` (the RBAC authorizer applies Role
 * changes from its watch cache, a moment after the write).
 */
export async function waitUntilForbidden(
  cluster: TestCluster,
  token: string,
  path: string,
): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await kubeRequest(cluster, { path, token });
    if (response.status === 403) return;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`${path} is still allowed`);
}

/** Replaces a Role's rules with `edit(rules)` as the cluster admin. */
export async function editRoleRules(
  cluster: TestCluster,
  namespace: string,
  name: string,
  edit: (rules: RbacRule[]) => RbacRule[],
): Promise<void> {
  const path = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles/${name}`;
  const role = await kubeRequest(cluster, { path, token: cluster.adminToken });
  if (role.status !== 200) {
    throw new Error(`GET ${path}: ${statusMessage(role)}`);
  }
  await adminChange(
    cluster,
    'PATCH',
    path,
    { rules: edit(role.body.rules) },
    mergePatch,
  );
}

export interface RbacRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}
