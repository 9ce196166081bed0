/**
 * The Pods a running federation has: one per Deployment, as its ReplicaSet
 * would create them (template labels plus pod-template-hash, owner reference
 * to the ReplicaSet). The test API server runs no controllers, so the bench
 * creates them itself; the reader lists them like any live cluster's.
 */
import { createHash, randomUUID } from 'node:crypto';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec?: any;
}

export function podsOfDeployments(objects: readonly unknown[]): Manifest[] {
  return (objects as Manifest[])
    .filter(o => o.kind === 'Deployment')
    .map(deployment => {
      const template = deployment.spec?.template ?? {};
      const hash = createHash('sha256')
        .update(JSON.stringify(template))
        .digest('hex')
        .slice(0, 10);
      const replicaSet = `${deployment.metadata.name}-${hash}`;
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${replicaSet}-${hash.slice(0, 5)}`,
          namespace: deployment.metadata.namespace,
          labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
          ...(template.metadata?.annotations
            ? { annotations: template.metadata.annotations }
            : {}),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: replicaSet,
              uid: randomUUID(),
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: template.spec,
      } as Manifest;
    });
}
