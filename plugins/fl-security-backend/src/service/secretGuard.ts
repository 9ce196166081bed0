import { ComplianceReport } from '@fl-security/plugin-fl-security-common';

/** PEM armour of any private key (PKCS#8, RSA, EC, OpenSSH, encrypted). */
const PRIVATE_KEY_MARKER = /PRIVATE KEY/;

/** Secret values (base64 as stored) and PEM bodies use only these characters. */
const BASE64_ONLY = /^[A-Za-z0-9+/=]+$/;
/** Maximal runs of base64 characters long enough to hold a value. */
const BASE64_RUNS = /[A-Za-z0-9+/=]{16,}/g;
/** Values are indexed by their first characters (the reader keeps values of 16 or more). */
const PREFIX = 16;

/**
 * True when a serialized report would carry key material: a PEM private-key
 * marker or any Secret value the reader saw. Reports are checked before they
 * are stored or returned; a hit withholds the report (fail closed).
 *
 * Same answer as `text.includes(value)` for every value, in one pass over
 * the text instead of one per value: a base64 value can only occur inside a
 * run of base64 characters, so only those runs are searched, for the values'
 * prefixes. (Per value, the search grew with participants squared.)
 */
export function containsSecretMaterial(
  report: ComplianceReport,
  sensitiveValues: readonly string[],
): boolean {
  const text = JSON.stringify(report);
  if (PRIVATE_KEY_MARKER.test(text)) return true;
  const byPrefix = new Map<string, string[]>();
  for (const value of sensitiveValues) {
    if (value.length < PREFIX || !BASE64_ONLY.test(value)) {
      if (text.includes(value)) return true;
      continue;
    }
    const prefix = value.slice(0, PREFIX);
    const values = byPrefix.get(prefix);
    if (values) values.push(value);
    else byPrefix.set(prefix, [value]);
  }
  if (byPrefix.size === 0) return false;
  for (const run of text.matchAll(BASE64_RUNS)) {
    const start = run.index;
    for (let i = 0; i + PREFIX <= run[0].length; i++) {
      const values = byPrefix.get(run[0].slice(i, i + PREFIX));
      if (values?.some(value => text.startsWith(value, start + i))) return true;
    }
  }
  return false;
}
