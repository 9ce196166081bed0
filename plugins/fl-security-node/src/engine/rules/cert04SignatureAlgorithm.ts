/**
 * CERT-04: no certificate signed with MD5 or SHA-1. The self-signature of a
 * root CA is not relied upon by TLS (the root is trusted as such), so it is
 * reported but does not fail.
 */
import { isSelfSigned } from '../model/certificates';
import { record, str } from '../model/objects';
import { defineRule, each, error, fail, pass } from '../ruleKit';
import { label } from './shared/describe';
import { certManagerCertificates } from './shared/subjects';
import { NAMED_ITEMS, someOf } from './shared/bounded';
import {
  THE_SECRET,
  TlsSecret,
  certificatesOf,
  materialOf,
  parseErrors,
  tlsSecrets,
} from './shared/tlsSecrets';

export function isWeakSignature(algorithm: string | undefined): boolean {
  return /md5|md2|md4|sha1(?!\d)|sha-1(?!\d)/i.test(algorithm ?? '');
}

function checkSecret(secret: TlsSecret) {
  const material = materialOf(secret);
  const errors = parseErrors(material);
  const weak: string[] = [];
  const rootNotes: string[] = [];
  const algorithms = new Set<string>();
  for (const { cert, label: which } of certificatesOf(material)) {
    const algorithm =
      cert.signatureAlgorithm ?? cert.signatureAlgorithmOid ?? 'unknown';
    algorithms.add(algorithm);
    if (!isWeakSignature(algorithm)) continue;
    if (cert.ca && isSelfSigned(cert))
      rootNotes.push(
        `${which} is a self-signed root with ${algorithm} (not relied upon)`,
      );
    else weak.push(`${which} is signed with ${algorithm}`);
  }
  if (weak.length)
    return fail(`${secret.label}: ${someOf(weak, NAMED_ITEMS, '; ')}.`);
  if (errors.length)
    return error(`${secret.label}: ${someOf(errors, NAMED_ITEMS, '; ')}.`);
  const note = rootNotes.length
    ? ` ${someOf(rootNotes, NAMED_ITEMS, '; ')}.`
    : '';
  return pass(`${secret.label}: signatures use ${someOf(algorithms)}.${note}`);
}

export const cert04SignatureAlgorithm = defineRule({
  id: 'CERT-04',
  checks: [
    each(tlsSecrets, checkSecret, [THE_SECRET]),
    each(certManagerCertificates, ({ certificate }) => {
      const algorithm = str(record(certificate.spec).signatureAlgorithm);
      return algorithm && isWeakSignature(algorithm)
        ? fail(
            `${label(certificate)} requests signatureAlgorithm ${algorithm}.`,
          )
        : [];
    }),
  ],
});
