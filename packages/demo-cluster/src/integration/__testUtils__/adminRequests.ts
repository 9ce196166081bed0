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
