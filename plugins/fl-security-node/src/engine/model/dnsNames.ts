/**
 * Host name matching against certificate DNS names per RFC 9525 §6.3: case
 * insensitive, a wildcard is only the complete left-most label and matches
 * exactly one label; partial wildcards (`f*.example.com`) and wildcards over a
 * single remaining label (`*.com`) never match.
 */

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function isWildcard(name: string): boolean {
  return name.includes('*');
}

export function dnsNameMatches(pattern: string, host: string): boolean {
  const p = normalize(pattern);
  const h = normalize(host);
  if (!p || !h) return false;
  if (p === h) return true;
  if (!p.startsWith('*.')) return false;
  const suffix = p.slice(2);
  if (suffix.includes('*') || !suffix.includes('.')) return false;
  const dot = h.indexOf('.');
  if (dot <= 0) return false;
  const firstLabel = h.slice(0, dot);
  if (firstLabel.includes('*')) return false;
  return h.slice(dot + 1) === suffix;
}

/** True when some pattern in the list covers the host. */
export function coveredBy(patterns: readonly string[], host: string): boolean {
  return patterns.some(pattern => dnsNameMatches(pattern, host));
}
