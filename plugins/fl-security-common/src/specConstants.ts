/**
 * Constants of the federation spec: the Flower release and its defaults, the
 * choices each field offers, and the limits validation enforces.
 */

/** The Flower release whose command-line flags the generator renders. */
export const FLOWER_VERSION = '1.42.0';
export const DEFAULT_SUPERLINK_IMAGE = `flwr/superlink:${FLOWER_VERSION}`;
export const DEFAULT_SUPERNODE_IMAGE = `flwr/supernode:${FLOWER_VERSION}`;
export const DEFAULT_FLEET_PORT = 9092;
/**
 * The in-pod TLS gateway that serves only the Fleet API on the fleet port:
 * HAProxy 3.2 LTS (fixes until 2030-Q2; Debian's branch, the one the
 * end-to-end test runs).
 */
export const DEFAULT_FLEET_GATEWAY_IMAGE = 'haproxy:3.2';
/**
 * Where the SuperLink serves its Fleet, Control and Runtime APIs inside the
 * aggregator pod (127.0.0.1 only): the fleet port must differ.
 */
export const SUPERLINK_LOOPBACK_PORT = 9091;

/**
 * The Fleet API of Flower FLOWER_VERSION (router `/v1/fleet` of the
 * SuperLink): every request a SuperNode makes, POST only. The generated
 * fleet gateway forwards exactly these; FL-03 fails a gateway that forwards
 * more. The Flower end-to-end test compares the list with the release.
 */
export const FLOWER_FLEET_API_PATHS = [
  '/v1/fleet/register-node',
  '/v1/fleet/activate-node',
  '/v1/fleet/deactivate-node',
  '/v1/fleet/unregister-node',
  '/v1/fleet/send-node-heartbeat',
  '/v1/fleet/pull-messages',
  '/v1/fleet/push-messages',
  '/v1/fleet/get-run',
  '/v1/fleet/get-fab',
  '/v1/fleet/push-object',
  '/v1/fleet/pull-object',
  '/v1/fleet/confirm-message-received',
] as const;

export const TLS_PROVIDERS = [
  'cert-manager-ca',
  'cert-manager-vault',
  'cert-manager-issuer',
  'vault-pki-secret',
  'vault-agent',
] as const;
/**
 * Where certificates come from: a self-signed bootstrap CA chain in
 * cert-manager, a cert-manager Vault issuer, an existing cert-manager issuer,
 * the Vault Secrets Operator (VaultPKISecret) or the Vault Agent injector.
 */
export type TlsProvider = (typeof TLS_PROVIDERS)[number];
export const VAULT_TLS_PROVIDERS: readonly TlsProvider[] = [
  'cert-manager-vault',
  'vault-pki-secret',
  'vault-agent',
];
export const CERT_MANAGER_TLS_PROVIDERS: readonly TlsProvider[] = [
  'cert-manager-ca',
  'cert-manager-vault',
  'cert-manager-issuer',
];

export const EXPOSURES = ['none', 'ingress-nginx', 'gateway-api'] as const;
/** How participants outside the cluster reach the aggregator (TLS passthrough). */
export type Exposure = (typeof EXPOSURES)[number];

export const MESH_MODES = ['none', 'istio'] as const;
export type MeshMode = (typeof MESH_MODES)[number];

export const KEY_ALGORITHMS = ['ECDSA', 'RSA'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];
export const KEY_SIZES: Record<KeyAlgorithm, readonly number[]> = {
  ECDSA: [256, 384, 521],
  RSA: [2048, 3072, 4096],
};

/** Leaf certificates live at most a year; renewal needs at least 5 minutes. */
export const MAX_DURATION_SECONDS = 8760 * 3600;
export const MIN_DURATION_SECONDS = 3600;
export const MIN_RENEW_BEFORE_SECONDS = 300;

/** Namespaces an FL workload must never share. */
export const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export const MAX_PARTICIPANTS = 5000;
/** Keeps derived names (`<federation>-<participant>`) within 63 characters. */
export const MAX_SHORT_NAME = 30;

/** Service name of the aggregator; participants dial `<it>.<namespace>.svc`. */
export const SUPERLINK_SERVICE_NAME = 'superlink';

/**
 * How a site in another cluster receives the federation CA: a ConfigMap in
 * its namespace, or a trust-manager Bundle (when the site runs trust-manager).
 */
export const TRUST_DISTRIBUTIONS = ['configmap', 'trust-manager'] as const;
export type TrustDistribution = (typeof TRUST_DISTRIBUTIONS)[number];
/** Old and new CA during a rotation, with room for an intermediate change. */
export const MAX_CA_CERTIFICATES = 4;
export const MAX_EXTERNAL_ADDRESSES = 32;
/** What sites in other clusters dial on the external host unless told. */
export const DEFAULT_EXTERNAL_PORT = 443;
