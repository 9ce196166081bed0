/**
 * CERT-03: RSA keys of at least 2048 bits, ECDSA on P-256 or larger NIST
 * curves, Ed25519/Ed448. Offline, cert-manager Certificate specs
 * (privateKey.algorithm/size, defaults RSA 2048 / ECDSA 256) are checked too.
 */
import type { X509Certificate } from 'node:crypto';
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { keyInfo } from '../model/certificates';
import { num, record, str } from '../model/objects';
import { federationCertificates } from '../model/tls';
import { certificatesOf, parseErrors, secretStates } from './certCommon';
import { finding, objectRef, worst } from './helpers';
import type { Finding, Rule } from './types';

const STRONG_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

export function keyVerdict(cert: X509Certificate): {
  status: CheckStatus;
  text: string;
} {
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

export function specKeyVerdict(spec: Record<string, unknown>): {
  status: CheckStatus;
  text: string;
} {
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

export const cert03KeyStrength: Rule = {
  id: 'CERT-03',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    for (const state of secretStates(federation)) {
      if (!state.present) {
        findings.push(state.finding);
        continue;
      }
      const errors = parseErrors(state.material);
      const verdicts = certificatesOf(state.material).map(
        ({ cert, label }) => ({ ...keyVerdict(cert), label }),
      );
      const status = [
        errors.length ? 'error' : 'pass',
        ...verdicts.map(v => v.status),
      ].reduce((a, b) =>
        worst(a as CheckStatus, b as CheckStatus),
      ) as CheckStatus;
      const shown =
        status === 'pass'
          ? verdicts
          : verdicts.filter(v => v.status !== 'pass');
      findings.push(
        finding(
          status,
          state.resource,
          `${state.label}: ${[
            ...errors,
            ...shown.map(v => `${v.label}: ${v.text}`),
          ].join('; ')}.`,
        ),
      );
    }
    for (const { index, certificate } of federationCertificates(federation)) {
      if (!index.offline) continue;
      const verdict = specKeyVerdict(record(certificate.spec));
      findings.push(
        finding(
          verdict.status,
          objectRef(index, certificate),
          `Certificate ${certificate.metadata.namespace ?? 'default'}/${
            certificate.metadata.name
          } requests a ${verdict.text} key.`,
        ),
      );
    }
    return findings;
  },
};
