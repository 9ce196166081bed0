/**
 * Certificates that exist only at deploy time, described by the object that
 * will issue them: a cert-manager Certificate, a Vault Secrets Operator
 * VaultPKISecret, or a Vault agent `pkiCert` template. Offline, their names
 * and lifetimes are what the CERT rules can check.
 */
import type { KubeObject } from '../types';
import type { ClusterIndex } from './clusterIndex';
import { bool, namespaceOf, num, record, str, strings } from './objects';

export interface PlannedCertificate {
  /** Certificate, VaultPKISecret, or the workload carrying the Vault agent template. */
  object?: KubeObject;
  label: string;
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
  commonName?: string;
  /** Go durations as written: lifetime and how long before expiry it renews. */
  duration?: string;
  renewBefore?: string;
  renewBeforePercentage?: number;
  /** cert-manager applies its defaults (90 days, renew at 2/3) when unset. */
  defaults: 'cert-manager' | 'issuer';
}

function certManager(certificate: KubeObject): PlannedCertificate {
  const spec = record(certificate.spec);
  return {
    object: certificate,
    label: `Certificate ${namespaceOf(certificate)}/${
      certificate.metadata.name
    }`,
    dnsNames: strings(spec.dnsNames),
    ipAddresses: strings(spec.ipAddresses),
    commonName: str(spec.commonName),
    duration: str(spec.duration),
    renewBefore: str(spec.renewBefore),
    renewBeforePercentage: num(spec.renewBeforePercentage),
    defaults: 'cert-manager',
  };
}

function vaultPkiSecret(object: KubeObject): PlannedCertificate {
  const spec = record(object.spec);
  const commonName = str(spec.commonName);
  // Vault adds the common name to the DNS SANs unless told not to.
  const withCn =
    commonName && bool(spec.excludeCNFromSans) !== true ? [commonName] : [];
  return {
    object,
    label: `VaultPKISecret ${namespaceOf(object)}/${object.metadata.name}`,
    dnsNames: [...withCn, ...strings(spec.altNames)],
    ipAddresses: strings(spec.ipSans),
    commonName,
    duration: str(spec.ttl),
    renewBefore: str(spec.expiryOffset),
    defaults: 'issuer',
  };
}

/** Names requested by a Vault agent `pkiCert "<path>" "common_name=..." "alt_names=a,b"` template. */
export function vaultAgentTemplate(
  template: string,
  owner: string,
): PlannedCertificate {
  const args = new Map<string, string>();
  for (const match of template.matchAll(/"([a-z_]+)=([^"]*)"/g))
    args.set(match[1], match[2]);
  const split = (value?: string) =>
    value
      ? value
          .split(',')
          .map(v => v.trim())
          .filter(Boolean)
      : [];
  const commonName = args.get('common_name');
  const withCn =
    commonName && args.get('exclude_cn_from_sans') !== 'true'
      ? [commonName]
      : [];
  return {
    label: `Vault agent template of ${owner}`,
    dnsNames: [...withCn, ...split(args.get('alt_names'))],
    ipAddresses: split(args.get('ip_sans')),
    commonName,
    duration: args.get('ttl'),
    defaults: 'issuer',
  };
}

function bySecret(
  index: ClusterIndex,
  kind: string,
  secretNameOf: (o: KubeObject) => string | undefined,
): Map<string, KubeObject> {
  return index.memo(`planned:${kind}`, () => {
    const map = new Map<string, KubeObject>();
    for (const object of index.ofKind(kind)) {
      const name = secretNameOf(object);
      const key = `${namespaceOf(object)}/${name}`;
      if (name && !map.has(key)) map.set(key, object);
    }
    return map;
  });
}

/** The cert-manager Certificate writing a Secret. */
export function certificateWriting(
  index: ClusterIndex,
  namespace: string,
  secretName: string,
): KubeObject | undefined {
  return bySecret(index, 'Certificate', c =>
    str(record(c.spec).secretName),
  ).get(`${namespace}/${secretName}`);
}

/** Whatever will write a TLS Secret at deploy time. */
export function plannedFor(
  index: ClusterIndex,
  namespace: string,
  secretName: string,
): PlannedCertificate | undefined {
  const cache = index.memo(
    'planned:described',
    () => new Map<string, PlannedCertificate | undefined>(),
  );
  const key = `${namespace}/${secretName}`;
  if (cache.has(key)) return cache.get(key);
  const certificate = certificateWriting(index, namespace, secretName);
  let planned: PlannedCertificate | undefined;
  if (certificate) planned = certManager(certificate);
  else {
    const vso = bySecret(index, 'VaultPKISecret', v =>
      str(record(record(v.spec).destination).name),
    ).get(key);
    planned = vso ? vaultPkiSecret(vso) : undefined;
  }
  cache.set(key, planned);
  return planned;
}
