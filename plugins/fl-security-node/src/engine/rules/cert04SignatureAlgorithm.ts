/**
 * CERT-04: no certificate signed with MD5 or SHA-1. The self-signature of a
 * root CA is not relied upon by TLS (the root is trusted as such), so it is
 * reported but does not fail.
 */
import { isSelfSigned } from '../model/certificates';
import { federationCertificates } from '../model/tls';
import { record, str } from '../model/objects';
import { certificatesOf, parseErrors, secretStates } from './certCommon';
import { finding, objectRef } from './helpers';
import type { Finding, Rule } from './types';

export function isWeakSignature(algorithm: string | undefined): boolean {
  return /md5|md2|md4|sha1(?!\d)|sha-1(?!\d)/i.test(algorithm ?? '');
}

export const cert04SignatureAlgorithm: Rule = {
  id: 'CERT-04',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    for (const state of secretStates(federation)) {
      if (!state.present) {
        findings.push(state.finding);
        continue;
      }
      const errors = parseErrors(state.material);
      const weak: string[] = [];
      const rootNotes: string[] = [];
      const algorithms = new Set<string>();
      for (const { cert, label } of certificatesOf(state.material)) {
        const algorithm =
          cert.signatureAlgorithm ?? cert.signatureAlgorithmOid ?? 'unknown';
        algorithms.add(algorithm);
        if (!isWeakSignature(algorithm)) continue;
        if (cert.ca && isSelfSigned(cert))
          rootNotes.push(
            `${label} is a self-signed root with ${algorithm} (not relied upon)`,
          );
        else weak.push(`${label} is signed with ${algorithm}`);
      }
      if (weak.length) {
        findings.push(
          finding(
            'fail',
            state.resource,
            `${state.label}: ${weak.join('; ')}.`,
          ),
        );
      } else if (errors.length) {
        findings.push(
          finding(
            'error',
            state.resource,
            `${state.label}: ${errors.join('; ')}.`,
          ),
        );
      } else {
        const note = rootNotes.length ? ` ${rootNotes.join('; ')}.` : '';
        findings.push(
          finding(
            'pass',
            state.resource,
            `${state.label}: signatures use ${[...algorithms].join(
              ', ',
            )}.${note}`,
          ),
        );
      }
    }
    for (const { index, certificate } of federationCertificates(federation)) {
      const algorithm = str(record(certificate.spec).signatureAlgorithm);
      if (algorithm && isWeakSignature(algorithm)) {
        findings.push(
          finding(
            'fail',
            objectRef(index, certificate),
            `Certificate ${certificate.metadata.namespace ?? 'default'}/${
              certificate.metadata.name
            } requests signatureAlgorithm ${algorithm}.`,
          ),
        );
      }
    }
    return findings;
  },
};
