import { stringify } from 'yaml';

export interface DemoClusterAccess {
  name: string;
  url: string;
  token: string;
  caPem: string;
}

/**
 * The app-config fragment that points the portal (Kubernetes plugin and FL
 * security backend alike) at the demo clusters, in each as the portal
 * ServiceAccount.
 */
export function demoAppConfig(clusters: DemoClusterAccess[]): string {
  return stringify({
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(cluster => ({
            name: cluster.name,
            url: cluster.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: cluster.token,
            caData: Buffer.from(cluster.caPem).toString('base64'),
            skipTLSVerify: false,
          })),
        },
      ],
    },
    // Scan soon after start so the first page view has a report.
    flSecurity: {
      schedule: {
        frequency: { minutes: 2 },
        timeout: { minutes: 2 },
        initialDelay: { seconds: 5 },
      },
    },
  });
}
