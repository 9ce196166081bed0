/**
 * Istio (optional): mutual TLS between sidecars on top of Flower's own TLS.
 * The restricted Pod Security Standard requires the Istio CNI plugin (no
 * privileged istio-init container).
 */
import { FederationSpec } from '@fl-security/plugin-fl-security-common';
import { labels, manifest, Manifest } from './meta';
import { SUPERLINK } from './names';

export function peerAuthentication(spec: FederationSpec, namespace: string): Manifest[] {
  if (spec.mesh !== 'istio') return [];
  return [
    manifest('security.istio.io/v1', 'PeerAuthentication', { name: 'default', namespace, labels: labels(spec, { role: 'mesh' }) }, {
      spec: { mtls: { mode: 'STRICT' } },
    }),
  ];
}

/** Clients of the SuperLink (in any namespace) use Istio mutual TLS. */
export function superlinkDestinationRule(spec: FederationSpec): Manifest[] {
  if (spec.mesh !== 'istio') return [];
  const ns = spec.aggregator.namespace;
  return [
    manifest('networking.istio.io/v1', 'DestinationRule', { name: SUPERLINK, namespace: ns, labels: labels(spec, { role: 'mesh' }) }, {
      spec: {
        host: `${SUPERLINK}.${ns}.svc.${spec.clusterDomain}`,
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      },
    }),
  ];
}
