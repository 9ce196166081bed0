import { ComplianceReport } from '@fl-security/plugin-fl-security-common';

/** PEM armour of any private key (PKCS#8, RSA, EC, OpenSSH, encrypted). */
const PRIVATE_KEY_MARKER = /PRIVATE KEY/;

/**
 * True when a serialized report would carry key material: a PEM private-key
 * marker or any Secret value the reader saw. Reports are checked before they
 * are stored or returned; a hit withholds the report (fail closed).
 */
export function containsSecretMaterial(
  report: ComplianceReport,
  sensitiveValues: readonly string[],
): boolean {
  const text = JSON.stringify(report);
  if (PRIVATE_KEY_MARKER.test(text)) return true;
  return sensitiveValues.some(value => text.includes(value));
}
