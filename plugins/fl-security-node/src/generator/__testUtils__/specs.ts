/** Spec variants covering every provider, exposure and mesh option. */
import { FederationSpecInput } from '@fl-security/plugin-fl-security-common';

export const smallSpec: FederationSpecInput = {
  name: 'demo',
  participants: [{ name: 'site-b' }, { name: 'site-a' }],
  network: {
    exposure: 'ingress-nginx',
    externalHost: 'fl.example.com',
    allowedCidrs: ['203.0.113.0/24'],
  },
};

const vault = {
  server: 'https://vault.example.com:8200',
  role: 'fl-federation',
  authRole: 'fl-issuer',
};

export const specVariants: Record<string, FederationSpecInput> = {
  'ca + ingress-nginx': smallSpec,
  'ca, in-cluster only': { name: 'inside', participants: [{ name: 'one' }] },
  'vault issuer + gateway-api + istio': {
    name: 'meshed',
    participants: [{ name: 'a' }, { name: 'b' }, { name: 'c', namespace: 'site-c' }],
    tls: { provider: 'cert-manager-vault', vault: { ...vault, caBundleSecret: 'vault-ca' }, keyAlgorithm: 'RSA', keySize: 3072 },
    network: {
      exposure: 'gateway-api',
      externalHost: 'fl.example.org',
      gateway: { name: 'edge', namespace: 'gateway-system', sectionName: 'tls-passthrough' },
    },
    mesh: 'istio',
  },
  'existing issuer, v1alpha2 route': {
    name: 'existing',
    participants: [{ name: 'x' }],
    tls: { provider: 'cert-manager-issuer', issuer: { kind: 'ClusterIssuer', name: 'corp-ca' } },
    network: {
      exposure: 'gateway-api',
      externalHost: 'fl.corp.example',
      gateway: { name: 'edge', namespace: 'infra', dataPlaneNamespace: 'envoy-gateway-system', tlsRouteVersion: 'v1alpha2' },
    },
  },
  'vault secrets operator': {
    name: 'vso',
    participants: [{ name: 'p1' }, { name: 'p2' }],
    tls: { provider: 'vault-pki-secret', vault },
  },
  'vault agent': {
    name: 'agent',
    participants: [{ name: 'p1' }],
    tls: { provider: 'vault-agent', vault: { ...vault, egress: { namespace: 'vault', cidrs: ['10.20.0.0/16'] } } },
  },
};
