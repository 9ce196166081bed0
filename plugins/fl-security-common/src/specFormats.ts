/**
 * String checks for federation spec fields. Each returns `undefined` when the
 * value is acceptable, or one short sentence saying what is wrong. Isomorphic:
 * no Node built-ins, so the frontend can reuse them.
 *
 * The generated YAML is written with a YAML library, but values that could
 * change the structure of a YAML or shell-like context are still rejected
 * (never escaped): a spec that needs them is not a spec we understand.
 */
import { MAX_EXTERNAL_ENTRY_ADDRESSES } from './labels';

/** Substrings that could change YAML (or template, or shell) structure. */
const STRUCTURAL_TOKENS: readonly string[] = [
  ': ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
];

// C0 controls (including newline and tab), DEL, C1 controls, and the Unicode
// line/paragraph separators that some YAML parsers treat as line breaks.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** Rejects control characters and YAML-structural tokens. */
export function checkPlainText(value: string): string | undefined {
  if (CONTROL_CHARACTERS.test(value)) {
    return 'must not contain control characters (newline, tab, ...)';
  }
  for (const token of STRUCTURAL_TOKENS) {
    if (value.includes(token)) {
      return `must not contain ${JSON.stringify(token)}`;
    }
  }
  if (value.trim() !== value) {
    return 'must not start or end with whitespace';
  }
  return undefined;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label (Kubernetes namespace and object names), up to `max`. */
export function checkDnsLabel(value: string, max = 63): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > max) return `must be at most ${max} characters`;
  if (!DNS_LABEL.test(value)) {
    return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** RFC 1035 label (Service-like names must start with a letter). */
export function checkDns1035Label(value: string, max = 63): string | undefined {
  const label = checkDnsLabel(value, max);
  if (label) return label;
  if (!/^[a-z]/.test(value)) return 'must start with a lowercase letter';
  return undefined;
}

function looksLikeIpAddress(value: string): boolean {
  return /^[0-9.]+$/.test(value) || value.includes(':');
}

/**
 * A DNS name clients dial: lowercase RFC 1123 subdomain with at least two
 * labels; no wildcard, scheme, port, path or IP address.
 */
export function checkHostname(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.includes('*')) return 'must not be a wildcard';
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value)) {
    return 'must be a bare hostname without a scheme (no https://)';
  }
  if (value.includes('/')) return 'must be a bare hostname without a path';
  if (/:[0-9]*$/.test(value) && !value.includes('::')) {
    return 'must be a bare hostname without a port';
  }
  const plain = checkPlainText(value);
  if (plain) return plain;
  if (looksLikeIpAddress(value)) return 'must be a DNS name, not an IP address';
  if (value.length > 253) return 'must be at most 253 characters';
  if (value !== value.toLowerCase()) return 'must be lowercase';
  const labels = value.split('.');
  if (labels.length < 2) {
    return 'must be a fully qualified DNS name (at least two labels)';
  }
  for (const label of labels) {
    if (label.length === 0) return 'must not contain empty labels ("..")';
    if (label.length > 63) return 'must not have a label longer than 63 characters';
    if (!DNS_LABEL.test(label)) {
      return 'must consist of DNS labels (lowercase letters, digits, "-")';
    }
  }
  return undefined;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    octets.push(octet);
  }
  return octets;
}

/** Parses an IPv6 address into 8 groups, or undefined. No zone IDs. */
function parseIpv6(text: string): number[] | undefined {
  if (!/^[0-9a-f:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = toGroups(halves[0]);
  const tail = halves.length === 2 ? toGroups(halves[1]) : [];
  const groups = [...head, ...tail];
  if (groups.some(group => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
  if (halves.length === 1 && groups.length !== 8) return undefined;
  if (halves.length === 2 && groups.length > 7) return undefined;
  const zeros = new Array(8 - groups.length).fill(0);
  return [...head.map(g => parseInt(g, 16)), ...zeros, ...tail.map(g => parseInt(g, 16))];
}

function hostBitsAreZero(units: number[], unitBits: number, prefix: number) {
  return units.every((unit, index) => {
    const start = index * unitBits;
    const keep = Math.max(0, Math.min(unitBits, prefix - start));
    const hostMask = (1 << (unitBits - keep)) - 1;
    return (unit & hostMask) === 0;
  });
}

/**
 * An IPv4 or IPv6 network in canonical form (host bits zero, as Kubernetes
 * NetworkPolicy ipBlock expects). Rejects "everything" networks: a spec that
 * means "any source" must say so some other way than a CIDR.
 */
export function checkCidr(value: string): string | undefined {
  const plain = checkPlainText(value);
  if (plain) return plain;
  const match = /^([^/]+)\/([0-9]{1,3})$/.exec(value);
  if (!match) return 'must be a CIDR such as 203.0.113.0/24';
  const [, address, prefixText] = match;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(address);
  const v6 = v4 ? undefined : parseIpv6(address);
  if (!v4 && !v6) return 'must be a CIDR with a valid IPv4 or IPv6 address';
  const maxPrefix = v4 ? 32 : 128;
  if (prefix > maxPrefix) return `must have a prefix length of at most ${maxPrefix}`;
  if (prefix === 0) return 'must not allow every address (/0)';
  const aligned = v4 ? hostBitsAreZero(v4, 8, prefix) : hostBitsAreZero(v6!, 16, prefix);
  if (!aligned) return 'must be a network address (host bits set to zero)';
  return undefined;
}

/**
 * A CIDR of an external entry (its load balancer): at most
 * MAX_EXTERNAL_ENTRY_ADDRESSES addresses, a /24 (IPv4) or /120 (IPv6).
 */
export function checkExternalAddress(value: string): string | undefined {
  const cidr = checkCidr(value);
  if (cidr) return cidr;
  const prefix = Number(value.slice(value.lastIndexOf('/') + 1));
  const bits = value.includes(':') ? 128 : 32;
  const hostBits = bits - prefix;
  if (2 ** hostBits > MAX_EXTERNAL_ENTRY_ADDRESSES)
    return `must hold at most ${MAX_EXTERNAL_ENTRY_ADDRESSES} addresses (a /${
      bits - Math.log2(MAX_EXTERNAL_ENTRY_ADDRESSES)
    } or longer): an entry is a load balancer's addresses, and sites may reach all of it`;
  return undefined;
}

const DURATION = /^(?:([0-9]{1,6})h)?(?:([0-9]{1,6})m)?(?:([0-9]{1,6})s)?$/;

/** Seconds of a Go duration restricted to h/m/s units (e.g. 2160h, 90m). */
export function parseDurationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match || value === '') return undefined;
  const [, h, m, s] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

export function checkDuration(value: string): string | undefined {
  const plain = checkPlainText(value);
  if (plain) return plain;
  if (parseDurationSeconds(value) === undefined) {
    return 'must be a duration in hours/minutes/seconds such as 2160h or 90m';
  }
  return undefined;
}

// Registry (with optional port), repository path, then a tag and/or digest.
const IMAGE_REFERENCE =
  /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/;

/** A container image pinned by tag or digest; "latest" is not a pin. */
export function checkImageReference(value: string): string | undefined {
  if (/@/.test(value) && !/@sha256:[a-f0-9]{64}$/.test(value)) {
    return 'must use a sha256 digest after "@"';
  }
  const withoutDigest = value.replace(/@sha256:[a-f0-9]{64}$/, '');
  const plain = checkPlainText(withoutDigest);
  if (plain) return plain;
  const match = IMAGE_REFERENCE.exec(value);
  if (!match) return 'must be a container image reference such as flwr/superlink:1.42.0';
  const tag = match[1];
  const hasDigest = value.includes('@sha256:');
  if (!tag && !hasDigest) return 'must be pinned with a tag or digest';
  if (tag === 'latest' && !hasDigest) return 'must be pinned ("latest" is not a version)';
  return undefined;
}

/**
 * An image digest as the container runtime checks it: `sha256:` and 64
 * lowercase hex digits, nothing around it (no tag, no other algorithm).
 */
export function checkImageDigest(value: string): string | undefined {
  if (!/^sha256:[a-f0-9]{64}$/.test(value)) {
    return 'must be a digest: sha256: followed by 64 lowercase hex digits';
  }
  return undefined;
}

/** A Kubernetes storage quantity limited to Mi/Gi/Ti. */
export function checkStorageSize(value: string): string | undefined {
  const plain = checkPlainText(value);
  if (plain) return plain;
  if (!/^[1-9][0-9]{0,4}(Mi|Gi|Ti)$/.test(value)) {
    return 'must be a size such as 512Mi, 1Gi or 1Ti';
  }
  return undefined;
}

/** An https URL with a host and optional port, nothing else (Vault server). */
export function checkHttpsOrigin(value: string): string | undefined {
  const plain = checkPlainText(value);
  if (plain) return plain;
  const match = /^https:\/\/([^/:]+)(?::([0-9]{1,5}))?\/?$/.exec(value);
  if (!match) {
    return 'must be an https:// URL with a host and optional port, without path';
  }
  const [, host, port] = match;
  const hostProblem = checkHostname(host);
  if (hostProblem && !parseIpv4(host)) return `host ${hostProblem}`;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return 'must use a port between 1 and 65535';
  }
  return undefined;
}

/** A path segment of a Vault mount or role ("pki", "pki_int", "fl-role"). */
export function checkVaultPathSegment(value: string): string | undefined {
  const plain = checkPlainText(value);
  if (plain) return plain;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(value) || value.includes('..')) {
    return 'must be one path segment: letters, digits, "_", "-", "."';
  }
  return undefined;
}

/** A Vault mount path that may contain "/" (e.g. "pki/intermediate"). */
export function checkVaultMountPath(value: string): string | undefined {
  const plain = checkPlainText(value);
  if (plain) return plain;
  const segments = value.split('/');
  for (const segment of segments) {
    const problem = checkVaultPathSegment(segment);
    if (problem) return 'must be segments of letters, digits, "_", "-", "." separated by "/"';
  }
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Accepts a CA certificate of up to this many base64 characters. */
export const MAX_CA_CERTIFICATE_BASE64 = 16384;

function decodeBase64(value: string): string | undefined {
  if (value.length % 4 !== 0 || !BASE64.test(value)) return undefined;
  try {
    return atob(value);
  } catch {
    return undefined;
  }
}

/**
 * One CA certificate as a Secret's `ca.crt` holds it: base64 of one PEM
 * CERTIFICATE block (what `kubectl get secret -o jsonpath='{.data.ca\.crt}'`
 * prints). One line, so it cannot change YAML structure; the PEM inside is
 * checked for exactly one certificate whose body is base64 DER (a SEQUENCE).
 * Private keys are rejected by name: a spec never carries one.
 */
export function checkCaCertificate(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_CA_CERTIFICATE_BASE64) {
    return `must be at most ${MAX_CA_CERTIFICATE_BASE64} characters`;
  }
  const pem = decodeBase64(value);
  if (pem === undefined) {
    return 'must be base64 of a PEM certificate (as in a Secret\'s ca.crt), on one line';
  }
  if (/PRIVATE KEY/.test(pem)) return 'must not contain a private key';
  const blocks = pem.match(/-----BEGIN [A-Z0-9 ]+-----/g) ?? [];
  const match = /^\s*-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END CERTIFICATE-----\s*$/.exec(pem);
  if (blocks.length !== 1 || !match) {
    return 'must be exactly one PEM CERTIFICATE block (list each CA separately)';
  }
  const der = decodeBase64(match[1].replace(/\r?\n/g, ''));
  // An X.509 certificate is a DER SEQUENCE (0x30) with a long-form length.
  if (der === undefined || der.charCodeAt(0) !== 0x30 || der.length < 64) {
    return 'must contain a DER-encoded certificate';
  }
  return undefined;
}
