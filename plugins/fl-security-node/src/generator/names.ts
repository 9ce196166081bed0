/**
 * Fixed names and paths of the generated objects. Namespaces are dedicated to
 * one federation role, so objects inside them keep short, stable names; only
 * cluster-scoped objects carry the federation name.
 */
import { FederationSpec, SUPERLINK_SERVICE_NAME } from '@fl-security/plugin-fl-security-common';

export const SUPERLINK = SUPERLINK_SERVICE_NAME;
export const SUPERNODE = 'supernode';
export const SUPERLINK_TLS_SECRET = 'superlink-tls';
export const SUPERNODE_TLS_SECRET = 'supernode-tls';
/** Created out of band per site: the SuperNode's OpenSSH EC private key. */
export const NODE_AUTH_SECRET = 'supernode-node-auth';
export const NODE_AUTH_SECRET_KEY = 'private-key';
export const STATE_PVC = 'superlink-state';
export const FLEET_PORT_NAME = 'fleet';
/** In-pod TLS gateway serving only the Fleet API on the fleet port. */
export const FLEET_GATEWAY = 'fleet-gateway';
export const FLEET_GATEWAY_CONFIG_DIR = '/usr/local/etc/haproxy';
export const FLEET_GATEWAY_CONFIG_FILE = 'haproxy.cfg';
/** Port of the SuperNode's Runtime API, bound to loopback inside the pod. */
export const SUPERNODE_RUNTIME_PORT = 9094;
export const PORTAL_ROLE = 'fl-security-portal-read';
export const VAULT_AUTH_SERVICE_ACCOUNT = 'vault-auth';
export const VAULT_AUTH = 'fl-security';

/** Stable mount directories: the Flower args point here whatever the PKI. */
export const TLS_DIR = '/var/run/fl-security/tls';
export const NODE_AUTH_DIR = '/var/run/fl-security/node-auth';
export const STATE_DIR = '/var/lib/flwr';
/** uid/gid of the user in the official flwr images (numeric for runAsNonRoot). */
export const FLOWER_UID = 49999;

export const CA_FILE = `${TLS_DIR}/ca.crt`;
export const CERT_FILE = `${TLS_DIR}/tls.crt`;
export const KEY_FILE = `${TLS_DIR}/tls.key`;
export const NODE_AUTH_KEY_FILE = `${NODE_AUTH_DIR}/${NODE_AUTH_SECRET_KEY}`;

export const selfSignedIssuerName = (spec: FederationSpec) => `${spec.name}-selfsigned`;
export const caIssuerName = (spec: FederationSpec) => `${spec.name}-ca`;
export const caSecretName = (spec: FederationSpec) => `${spec.name}-ca`;
export const vaultIssuerName = (spec: FederationSpec) => `${spec.name}-vault`;
export const vaultIssuerServiceAccount = (spec: FederationSpec) =>
  `${spec.name}-vault-issuer`;
export const portalClusterRoleName = (spec: FederationSpec) =>
  `fl-security-portal-${spec.name}`;

/** In-cluster address participants dial. */
export function superlinkServiceHost(spec: FederationSpec): string {
  return `${SUPERLINK}.${spec.aggregator.namespace}.svc`;
}

/**
 * Every DNS name a client may dial to reach the SuperLink: the Service's
 * short and qualified names and the external host.
 */
export function superlinkDnsNames(spec: FederationSpec): string[] {
  const ns = spec.aggregator.namespace;
  const names = [
    `${SUPERLINK}.${ns}.svc`,
    `${SUPERLINK}.${ns}.svc.${spec.clusterDomain}`,
    `${SUPERLINK}.${ns}`,
    SUPERLINK,
  ];
  if (spec.network.externalHost) names.push(spec.network.externalHost);
  return names;
}

/**
 * The SuperLink starts its ServerApp runner (flower-superexec), which dials
 * the SuperLink's own API on 127.0.0.1 over TLS and checks the IP SAN.
 */
export const SUPERLINK_IP_SANS = ['127.0.0.1'];

export function participantCommonName(spec: FederationSpec, participant: string) {
  return `${participant}.${spec.name}`;
}

export function participantSpiffeId(spec: FederationSpec, namespace: string) {
  return `spiffe://${spec.clusterDomain}/ns/${namespace}/sa/${SUPERNODE}`;
}
