/**
 * Plays cert-manager for tests: issues, with openssl, the certificates that
 * the cert-manager Certificates of a manifest set describe (selfSigned and CA
 * issuers), and returns the Secrets cert-manager would write. For tests only.
 */
import { parseGoDuration } from '../model/durations';
import { namespaceOf, num, record, str, strings } from '../model/objects';
import type { KubeObject } from '../types';
import { tlsSecret } from './builders';
import { Issued, KeySpec, issueCertificate } from './certs';

const EKU: Record<string, string> = {
  'server auth': 'serverAuth',
  'client auth': 'clientAuth',
};

function keySpecOf(privateKey: Record<string, unknown>): KeySpec {
  const algorithm = (str(privateKey.algorithm) ?? 'RSA').toUpperCase();
  const size = num(privateKey.size);
  if (algorithm === 'ECDSA') return `ec-p${size ?? 256}` as KeySpec;
  if (algorithm === 'ED25519') return 'ed25519';
  return `rsa-${size ?? 2048}` as KeySpec;
}

/**
 * Secrets for every Certificate whose issuer is a selfSigned or CA
 * (Cluster)Issuer of the set. `clusterResourceNamespace` is where
 * ClusterIssuer CA Secrets live (cert-manager's default namespace).
 */
export function issueFromCertificates(
  objects: readonly KubeObject[],
  clusterResourceNamespace = 'cert-manager',
): KubeObject[] {
  const issuers = new Map<string, Record<string, unknown>>();
  for (const o of objects) {
    if (o.kind === 'Issuer' || o.kind === 'ClusterIssuer') {
      issuers.set(
        `${o.kind}/${o.kind === 'Issuer' ? namespaceOf(o) : ''}/${
          o.metadata.name
        }`,
        record(o.spec),
      );
    }
  }
  const issued = new Map<string, Issued>(); // by namespace/secretName
  const secrets: KubeObject[] = [];
  let pending = objects.filter(o => o.kind === 'Certificate');
  while (pending.length > 0) {
    const next: KubeObject[] = [];
    for (const certificate of pending) {
      const spec = record(certificate.spec);
      const ns = namespaceOf(certificate)!;
      const ref = record(spec.issuerRef);
      const kind = str(ref.kind) ?? 'Issuer';
      const issuer = issuers.get(
        `${kind}/${kind === 'Issuer' ? ns : ''}/${str(ref.name)}`,
      );
      if (!issuer) continue; // external issuer (Vault...): not issuable here
      let signer: Issued | undefined;
      if (!issuer.selfSigned) {
        const caSecret = str(record(issuer.ca).secretName);
        if (!caSecret) continue;
        signer = issued.get(
          `${kind === 'Issuer' ? ns : clusterResourceNamespace}/${caSecret}`,
        );
        if (!signer) {
          next.push(certificate);
          continue;
        }
      }
      const hours = parseGoDuration(str(spec.duration) ?? '2160h')! / 3_600_000;
      const cert = issueCertificate({
        commonName:
          str(spec.commonName) ??
          strings(spec.dnsNames)[0] ??
          certificate.metadata.name,
        dnsNames: [...strings(spec.dnsNames)],
        ipAddresses: [...strings(spec.ipAddresses)],
        uris: [...strings(spec.uris)],
        key: keySpecOf(record(spec.privateKey)),
        keyName: `${ns}/${certificate.metadata.name}`,
        days: Math.max(1, Math.ceil(hours / 24)),
        isCA: spec.isCA === true,
        extendedKeyUsage: strings(spec.usages).flatMap(u =>
          EKU[u] ? [EKU[u]] : [],
        ),
        issuer: signer,
      });
      const secretName = str(spec.secretName)!;
      issued.set(`${ns}/${secretName}`, cert);
      secrets.push(
        tlsSecret(ns, secretName, {
          crt: cert.certPem,
          key: cert.keyPem,
          ca: (signer ?? cert).certPem,
        }),
      );
    }
    if (next.length === pending.length)
      throw new Error(
        `cannot issue: ${next.map(c => c.metadata.name).join(', ')}`,
      );
    pending = next;
  }
  return secrets;
}
