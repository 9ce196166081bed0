/**
 * The CA a site in another cluster trusts, and how it gets there: a
 * ConfigMap in each site namespace, or one trust-manager `Bundle` per site
 * cluster (trust-manager writes the same ConfigMap into the namespaces it
 * selects). Only public certificates travel; the CA key stays where the
 * aggregator's PKI keeps it. During a rotation `tls.caBundle` lists the old
 * and the new CA, and the bundle carries both until every certificate the
 * SuperLink serves chains to the new one.
 */
import {
  FederationSpec,
  NAMESPACE_FEDERATION_LABEL,
  ParticipantSpec,
} from '@fl-security/plugin-fl-security-common';
import { labels, manifest, Manifest } from './meta';

export const TRUST_MANAGER_API = 'trust.cert-manager.io/v1alpha1';
/** The key SuperNodes read (as cert-manager's Secrets name it). */
export const CA_BUNDLE_KEY = 'ca.crt';

/** The ConfigMap (and trust-manager Bundle) holding the site's CA bundle. */
export function caBundleName(spec: FederationSpec): string {
  return `${spec.name}-ca-bundle`;
}

/** Each CA of tls.caBundle as PEM text ending in one newline, in spec order. */
export function caCertificatesPem(spec: FederationSpec): string[] {
  return (spec.tls.caBundle ?? []).map(entry => {
    const pem = Buffer.from(entry, 'base64').toString('utf8').replace(/\r\n/g, '\n').trim();
    return `${pem}\n`;
  });
}

/** The concatenated PEM a site trusts ('' when tls.caBundle is not set yet). */
export function caBundlePem(spec: FederationSpec): string {
  return caCertificatesPem(spec).join('');
}

/** Whether the site cluster of these participants runs trust-manager. */
export function usesTrustManager(participants: readonly ParticipantSpec[]): boolean {
  return participants.some(participant => participant.caDistribution === 'trust-manager');
}

/** The ConfigMap in a site namespace, when the CA is distributed by the bundle itself. */
export function siteCaConfigMap(spec: FederationSpec, participant: ParticipantSpec): Manifest[] {
  if (participant.caDistribution === 'trust-manager' || !spec.tls.caBundle) return [];
  return [
    manifest('v1', 'ConfigMap', {
      name: caBundleName(spec),
      namespace: participant.namespace,
      labels: labels(spec, { role: 'pki', participant: participant.name }),
    }, {
      data: { [CA_BUNDLE_KEY]: caBundlePem(spec) },
    }),
  ];
}

/**
 * A cluster-scoped trust-manager Bundle: the CAs inline (no source object to
 * copy into the trust namespace), written as ConfigMap `<name>-ca-bundle`
 * into the namespaces labelled with this federation.
 */
export function trustManagerBundle(spec: FederationSpec, participants: readonly ParticipantSpec[]): Manifest[] {
  if (!usesTrustManager(participants) || !spec.tls.caBundle) return [];
  return [
    manifest(TRUST_MANAGER_API, 'Bundle', { name: caBundleName(spec), labels: labels(spec, { role: 'pki' }) }, {
      spec: {
        sources: caCertificatesPem(spec).map(pem => ({ inLine: pem })),
        target: {
          configMap: { key: CA_BUNDLE_KEY },
          // Public data: a namespace that borrows the label gains nothing.
          namespaceSelector: { matchLabels: { [NAMESPACE_FEDERATION_LABEL]: spec.name } },
        },
      },
    }),
  ];
}
