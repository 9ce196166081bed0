import { stringify } from 'yaml';

/** A kubeconfig with one cluster, one token user and one context (mode 0600 on disk). */
export function kubeconfigYaml(options: {
  clusterName: string;
  server: string;
  caPem: string;
  user: string;
  token: string;
}): string {
  const context = `${options.user}@${options.clusterName}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: options.clusterName,
        cluster: {
          server: options.server,
          'certificate-authority-data': Buffer.from(options.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: options.user, user: { token: options.token } }],
    contexts: [{ name: context, context: { cluster: options.clusterName, user: options.user } }],
    'current-context': context,
  });
}
