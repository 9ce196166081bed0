/**
 * Key usage and extended key usage as OpenSSL's purposes `sslserver` and
 * `sslclient` judge them (x509_purp.c): a leaf EKU must name serverAuth
 * (clientAuth); anyExtendedKeyUsage alone does not count (OpenSSL rejects it,
 * and CABF forbids it: x509-limbo `webpki::eku::ee-anyeku`). A certificate
 * without the EKU extension may be used for any purpose (RFC 5280 §4.2.1.12,
 * OpenSSL; `rfc5280::eku::ee-without-eku`): `absent` lets a rule warn.
 * A present keyUsage on a TLS leaf needs digitalSignature, keyEncipherment
 * or keyAgreement.
 */
import type { Certificate } from './certificate';
import { KeyUsageName, OID } from './extensions';

export type Purpose = 'server' | 'client';

const PURPOSE_OID: Record<Purpose, string> = {
  server: OID.serverAuth,
  client: OID.clientAuth,
};
const PURPOSE_NAME: Record<Purpose, string> = {
  server: 'serverAuth',
  client: 'clientAuth',
};

export type UsageVerdict =
  | { allowed: true; absent: boolean }
  | { allowed: false; reason: string };

const EKU_NAMES: Record<string, string> = {
  [OID.serverAuth]: 'serverAuth',
  [OID.clientAuth]: 'clientAuth',
  [OID.anyExtendedKeyUsage]: 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

export function ekuName(oid: string): string {
  return EKU_NAMES[oid] ?? oid;
}

/** Whether the extendedKeyUsage of `cert` allows `purpose`. */
export function ekuAllows(cert: Certificate, purpose: Purpose): UsageVerdict {
  if (cert.extensions.malformed.includes(OID.extKeyUsage))
    return {
      allowed: false,
      reason: 'the extendedKeyUsage extension cannot be decoded (or is empty)',
    };
  const usages = cert.extensions.extKeyUsage;
  if (!usages) return { allowed: true, absent: true };
  if (usages.includes(PURPOSE_OID[purpose]))
    return { allowed: true, absent: false };
  const listed = usages.map(ekuName).join(', ');
  if (usages.includes(OID.anyExtendedKeyUsage))
    return {
      allowed: false,
      reason: `extendedKeyUsage has anyExtendedKeyUsage but not ${PURPOSE_NAME[purpose]} (${listed}); OpenSSL and BoringSSL reject it`,
    };
  return {
    allowed: false,
    reason: `extendedKeyUsage lacks ${PURPOSE_NAME[purpose]} (${listed})`,
  };
}

const TLS_LEAF_KEY_USAGES: KeyUsageName[] = [
  'digitalSignature',
  'keyEncipherment',
  'keyAgreement',
];

/** A present keyUsage must allow a TLS handshake; `required` adds exact bits. */
export function leafKeyUsageAllows(
  cert: Certificate,
  required: readonly KeyUsageName[] = [],
): UsageVerdict {
  if (cert.extensions.malformed.includes(OID.keyUsage))
    return {
      allowed: false,
      reason: 'the keyUsage extension cannot be decoded',
    };
  const usage = cert.extensions.keyUsage;
  if (!usage) {
    return required.length
      ? {
          allowed: false,
          reason: `keyUsage is absent (needs ${required.join(', ')})`,
        }
      : { allowed: true, absent: true };
  }
  const missing = required.filter(u => !usage.has(u));
  if (missing.length)
    return { allowed: false, reason: `keyUsage lacks ${missing.join(', ')}` };
  if (!TLS_LEAF_KEY_USAGES.some(u => usage.has(u)))
    return {
      allowed: false,
      reason: `keyUsage (${
        [...usage].join(', ') || 'none'
      }) allows neither digitalSignature, keyEncipherment nor keyAgreement`,
    };
  return { allowed: true, absent: false };
}
