/**
 * The one deliberate violation of the local demo, so the entity page shows
 * a failing rule next to passing ones: a debugging policy someone left
 * behind that admits any source to every pod of the aggregator namespace.
 */
export function allowAllDebugPolicy(namespace: string, federation: string) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'debug-allow-all-ingress',
      namespace,
      labels: { 'backstage.io/kubernetes-id': federation },
      annotations: {
        'fl-security/demo':
          'deliberate violation of the local demo (NET-03, NET-04)',
      },
    },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{}],
    },
  };
}
