/**
 * DNS names as TLS clients compare them (RFC 9525 §6.3, OpenSSL's
 * X509_check_host with NO_PARTIAL_WILDCARDS, webpki): ASCII only,
 * case-insensitive, one trailing dot ignored; a wildcard is the whole
 * left-most label `*`, matches exactly one non-empty label, and needs at least
 * two labels after it that are not a public suffix.
 *
 * Public suffixes come from tldts, which ships the Public Suffix List (ICANN
 * and private sections: `*.s3.amazonaws.com` is refused like `*.co.uk`) and
 * is updated with it. A minimal hand rule ("at least two labels") would let
 * `*.co.uk` through; OpenSSL itself has no PSL, browsers and webpki-based
 * clients refuse these wildcards, so we follow them. Unknown TLDs (`svc`,
 * `local`) count as one-label suffixes, which keeps `*.ns.svc` and
 * `*.cluster.local` usable.
 */
import { getPublicSuffix } from 'tldts';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower-case form without one trailing dot, or undefined when not a DNS name. */
export function normalizeDnsName(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 254)
    return undefined;
  const lower = name.toLowerCase();
  const trimmed = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  return trimmed.length > 0 && trimmed.length <= 253 ? trimmed : undefined;
}

/** A host name a client can dial: LDH labels (no `_`, no wildcard, no IP literal). */
export function isValidHostName(name: string): boolean {
  const normalized = normalizeDnsName(name);
  if (!normalized) return false;
  const labels = normalized.split('.');
  if (!labels.every(l => LABEL.test(l))) return false;
  // An all-numeric last label is an IP literal or garbage, not a host name.
  return !/^[0-9]+$/.test(labels[labels.length - 1]);
}

/** A dNSName SAN a client accepts: a host name, or `*.` + a host name. */
export function isValidSanDnsName(name: string): boolean {
  const normalized = normalizeDnsName(name);
  if (!normalized) return false;
  if (normalized.startsWith('*.')) return isValidHostName(normalized.slice(2));
  return isValidHostName(normalized);
}

export type WildcardVerdict = { ok: true } | { ok: false; reason: string };

/** Whether `*.rest` is an acceptable wildcard (not over a public suffix). */
export function wildcardAllowed(pattern: string): WildcardVerdict {
  const normalized = normalizeDnsName(pattern);
  if (!normalized || !normalized.startsWith('*.'))
    return { ok: false, reason: 'not a wildcard' };
  const rest = normalized.slice(2);
  if (!isValidHostName(rest))
    return { ok: false, reason: `"${pattern}" is not a valid wildcard name` };
  if (!rest.includes('.'))
    return {
      ok: false,
      reason: `"${pattern}" covers a whole top-level domain`,
    };
  const suffix = getPublicSuffix(rest, { allowPrivateDomains: true });
  if (suffix === rest)
    return {
      ok: false,
      reason: `"${pattern}" is a wildcard over the public suffix "${rest}"`,
    };
  return { ok: true };
}

/** True when the SAN dNSName `pattern` covers `host` (both as written). */
export function dnsNameMatches(pattern: string, host: string): boolean {
  if (!isValidHostName(host) || !isValidSanDnsName(pattern)) return false;
  const p = normalizeDnsName(pattern)!;
  const h = normalizeDnsName(host)!;
  if (!p.startsWith('*.')) return p === h;
  if (!wildcardAllowed(p).ok) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}
