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

/**
 * The deliberate violation in a site cluster of the cross-silo demo: an
 * egress policy that lets the site's pods open the fleet port (443) on every
 * address, wider than the aggregator's external address the site bundle
 * allows (NET-05 fails for that site, naming its cluster).
 */
export function wideSiteEgressPolicy(namespace: string, federation: string) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'debug-allow-https-egress',
      namespace,
      labels: { 'backstage.io/kubernetes-id': federation },
      annotations: {
        'fl-security/demo':
          'deliberate violation of the cross-silo demo (NET-05: egress wider than the aggregator)',
      },
    },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ],
    },
  };
}
