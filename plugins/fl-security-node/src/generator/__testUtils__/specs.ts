/** Spec variants covering every provider, exposure and mesh option. */
import { FederationSpecInput } from '@fl-security/plugin-fl-security-common';
import { NEW_CA_BASE64, OLD_CA_BASE64 } from './caCertificates';

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

/**
 * One aggregator cluster (with one local site) and two site clusters, one
 * of them running trust-manager; the CA bundle mid-rotation (old and new).
 */
export const crossSiloSpec: FederationSpecInput = {
  name: 'silo',
  aggregator: { cluster: 'hub' },
  participants: [
    { name: 'hospital-a', cluster: 'hospital-a' },
    { name: 'hospital-b', cluster: 'hospital-b', caDistribution: 'trust-manager' },
    { name: 'lab', cluster: 'hospital-b', caDistribution: 'trust-manager', namespace: 'lab-fl' },
    { name: 'local' },
  ],
  tls: { caBundle: [OLD_CA_BASE64, NEW_CA_BASE64] },
  network: {
    exposure: 'ingress-nginx',
    externalHost: 'fl.example.com',
    externalAddresses: ['198.51.100.10/32'],
  },
};

/** Test digests (not of real images): IMG-01 checks the form, not a registry. */
export const TEST_DIGESTS = {
  superlink: `sha256:${'a1'.repeat(32)}`,
  supernode: `sha256:${'b2'.repeat(32)}`,
  fleetGateway: `sha256:${'c3'.repeat(32)}`,
};

/** A spec with every default image pinned by digest. */
export function withDigests(spec: FederationSpecInput): FederationSpecInput {
  const images = (spec as { images?: Record<string, unknown> }).images ?? {};
  return { ...spec, images: { ...images, digests: TEST_DIGESTS } } as FederationSpecInput;
}
