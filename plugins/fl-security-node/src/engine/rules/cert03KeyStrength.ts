/**
 * CERT-03: RSA keys of at least 2048 bits, ECDSA on P-256 or larger NIST
 * curves, Ed25519/Ed448. Offline, cert-manager Certificate specs
 * (privateKey.algorithm/size, defaults RSA 2048 / ECDSA 256) are checked too.
 */
import type { X509Certificate } from 'node:crypto';
import { keyInfo } from '../model/certificates';
import { num, record, str } from '../model/objects';
import { Note, combine, defineRule, each, verdict } from '../ruleKit';
import { label } from './shared/describe';
import { plannedCertificates } from './shared/subjects';
import { NAMED_ITEMS, someOf } from './shared/bounded';
import {
  THE_SECRET,
  TlsSecret,
  certificatesOf,
  materialOf,
  parseErrors,
  tlsSecrets,
} from './shared/tlsSecrets';

const STRONG_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

export function keyVerdict(cert: X509Certificate): Note {
  const key = keyInfo(cert);
  switch (key.keyType) {
    case 'rsa':
    case 'rsa-pss':
      return (key.keySize ?? 0) >= 2048
        ? { status: 'pass', text: `RSA ${key.keySize}` }
        : { status: 'fail', text: `RSA ${key.keySize} bits (< 2048)` };
    case 'ec':
      if (STRONG_CURVES.has(key.curve ?? ''))
        return { status: 'pass', text: `EC ${key.curve}` };
      return (key.keySize ?? 0) >= 256
        ? {
            status: 'warn',
            text: `EC ${key.curve} (not a curve TLS clients widely accept)`,
          }
        : {
            status: 'fail',
            text: `EC ${key.curve ?? 'unknown curve'} (< P-256)`,
          };
    case 'ed25519':
    case 'ed448':
      return { status: 'pass', text: key.keyType };
    case 'dsa':
      return { status: 'fail', text: 'DSA key (deprecated)' };
    default:
      return { status: 'error', text: `unknown key type ${key.keyType}` };
  }
}

export function specKeyVerdict(spec: Record<string, unknown>): Note {
  const privateKey = record(spec.privateKey);
  const algorithm = (str(privateKey.algorithm) ?? 'RSA').toUpperCase();
  const size = num(privateKey.size);
  if (algorithm === 'RSA') {
    const bits = size ?? 2048;
    return bits >= 2048
      ? { status: 'pass', text: `RSA ${bits}` }
      : { status: 'fail', text: `RSA ${bits} bits (< 2048)` };
  }
  if (algorithm === 'ECDSA') {
    const bits = size ?? 256;
    return [256, 384, 521].includes(bits)
      ? { status: 'pass', text: `ECDSA P-${bits}` }
      : { status: 'fail', text: `ECDSA size ${bits} (use 256, 384 or 521)` };
  }
  if (algorithm === 'ED25519') return { status: 'pass', text: 'Ed25519' };
  return { status: 'error', text: `unknown privateKey.algorithm ${algorithm}` };
}

function checkSecret(secret: TlsSecret) {
  const material = materialOf(secret);
  const errors: Note[] = parseErrors(material).map(text => ({
    status: 'error',
    text,
  }));
  const keys = certificatesOf(material).map(({ cert, label: which }) => {
    const key = keyVerdict(cert);
    return { ...key, text: `${which}: ${key.text}` };
  });
  return combine(
    [...errors, ...keys],
    texts => `${secret.label}: ${someOf(texts, NAMED_ITEMS, '; ')}.`,
  );
}

export const cert03KeyStrength = defineRule({
  id: 'CERT-03',
  checks: [
    each(tlsSecrets, checkSecret, [THE_SECRET]),
    each(plannedCertificates, ({ certificate }) => {
      const key = specKeyVerdict(record(certificate.spec));
      return verdict(
        key.status,
        `${label(certificate)} requests a ${key.text} key.`,
      );
    }),
  ],
});
