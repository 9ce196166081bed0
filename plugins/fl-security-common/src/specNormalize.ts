/**
 * Normalisation of a checked spec: every default applied, derived namespaces
 * named, participants and CIDR lists sorted, so one spec renders one way.
 */
import { DEFAULT_EXTERNAL_PORT, KEY_SIZES } from './specConstants';
import {
  aggregatorNamespace,
  isRemote,
  participantCluster,
  participantNamespace,
} from './specNamespaces';
import type { ParsedSpec } from './specSchema';
import type { FederationSpec } from './specTypes';

export function unique(values: readonly string[]) {
  return [...new Set(values)].sort();
}

export function normalize(spec: ParsedSpec): FederationSpec {
  const participants = spec.participants
    .map((participant, index) => ({
      name: participant.name,
      namespace: participantNamespace(spec, index),
      // Named clusters are explicit on every participant; an unnamed single
      // cluster adds nothing (existing specs normalize as before).
      ...(spec.aggregator.cluster ? { cluster: participantCluster(spec, index)! } : {}),
      ...(isRemote(spec, index)
        ? { caDistribution: participant.caDistribution ?? ('configmap' as const) }
        : {}),
    }))
    // Code-unit order (names are unique), the same on every machine.
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const { vault } = spec.tls;
  const crossSilo = spec.participants.some((_p, index) => isRemote(spec, index));
  return {
    name: spec.name,
    framework: spec.framework,
    clusterDomain: spec.clusterDomain,
    images: {
      superlink: spec.images.superlink,
      supernode: spec.images.supernode,
      fleetGateway: spec.images.fleetGateway,
      ...(spec.images.digests && Object.keys(spec.images.digests).length > 0
        ? { digests: { ...spec.images.digests } }
        : {}),
    },
    aggregator: {
      namespace: aggregatorNamespace(spec),
      ...(spec.aggregator.cluster ? { cluster: spec.aggregator.cluster } : {}),
      port: spec.aggregator.port,
      stateStorage: { ...spec.aggregator.stateStorage },
    },
    participants,
    tls: {
      provider: spec.tls.provider,
      certManagerNamespace: spec.tls.certManagerNamespace,
      ...(spec.tls.issuer ? { issuer: { ...spec.tls.issuer } } : {}),
      ...(vault
        ? {
            vault: {
              server: vault.server.replace(/\/$/, ''),
              pkiMount: vault.pkiMount,
              role: vault.role,
              authMount: vault.authMount,
              authRole: vault.authRole,
              ...(vault.caBundleSecret ? { caBundleSecret: vault.caBundleSecret } : {}),
              ...(vault.egress
                ? {
                    egress: {
                      ...(vault.egress.namespace ? { namespace: vault.egress.namespace } : {}),
                      cidrs: unique(vault.egress.cidrs ?? []),
                    },
                  }
                : {}),
            },
          }
        : {}),
      keyAlgorithm: spec.tls.keyAlgorithm,
      keySize: spec.tls.keySize ?? KEY_SIZES[spec.tls.keyAlgorithm][0],
      duration: spec.tls.duration,
      renewBefore: spec.tls.renewBefore,
      // Kept in the given order: the bundle lists the CAs as written.
      ...(spec.tls.caBundle ? { caBundle: [...spec.tls.caBundle] } : {}),
    },
    network: {
      exposure: spec.network.exposure,
      ...(spec.network.externalHost ? { externalHost: spec.network.externalHost } : {}),
      ingressClassName: spec.network.ingressClassName,
      ingressControllerNamespace: spec.network.ingressControllerNamespace,
      ...(spec.network.gateway ? { gateway: { ...spec.network.gateway } } : {}),
      allowedCidrs: unique(spec.network.allowedCidrs),
      ...(spec.network.externalAddresses
        ? { externalAddresses: unique(spec.network.externalAddresses) }
        : {}),
      ...(crossSilo
        ? { externalPort: spec.network.externalPort ?? DEFAULT_EXTERNAL_PORT }
        : {}),
      dnsNamespace: spec.network.dnsNamespace,
    },
    mesh: spec.mesh,
    portal: {
      serviceAccount: { ...spec.portal.serviceAccount },
      ...(spec.portal.entityRef ? { entityRef: spec.portal.entityRef } : {}),
    },
  };
}

/**
 * The catalog entity a federation's namespaces are bound to: portal.entityRef,
 * else the Component the software template registers.
 */
export function federationEntityRef(spec: FederationSpec): string {
  return spec.portal.entityRef ?? `component:default/${spec.name}`;
}
