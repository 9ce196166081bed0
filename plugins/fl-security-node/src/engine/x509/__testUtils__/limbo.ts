/**
 * x509-limbo cases for the conformance tests: loading, the scope of what the
 * certificate rules claim (with the reason for every exclusion), and one
 * case run through validatePath.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { KeyUsageName } from '../extensions';
import { PathResult, validatePath } from '../validatePath';

export interface LimboCase {
  id: string;
  features: string[];
  description: string;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  expected_peer_names: Array<{ kind: string; value: string }>;
  extended_key_usage: string[];
  key_usage: string[];
  max_chain_depth: number | null;
  crls: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
}

export const LIMBO_PATH = join(
  __dirname,
  '..',
  '__fixtures__',
  'x509-limbo',
  'limbo.json',
);

export function loadLimbo(): LimboCase[] {
  return JSON.parse(readFileSync(LIMBO_PATH, 'utf8')).testcases;
}

/** Time for cases without one: every such limbo certificate is valid 1970–2969. */
export const LIMBO_DEFAULT_TIME = new Date('2026-01-01T00:00:00Z');

export interface Exclusion {
  /** Exact id, id prefix ending in `*`, or `feature:NAME`. */
  match: string;
  reason: string;
}

const PROFILE =
  'certificate-profile rule (RFC 5280/CABF MUST for issuing CAs) that TLS clients do not enforce: OpenSSL only with -x509_strict, not BoringSSL, Go or webpki path validation; the rules claim what a client accepts, not a profile lint';

export const EXCLUSIONS: Exclusion[] = [
  {
    match: 'feature:has-crl',
    reason:
      'revocation: a snapshot holds no CRLs and the rules claim no revocation status',
  },
  {
    match: 'feature:has-policy-constraints',
    reason:
      'certificate policies are not processed (a critical policy extension is rejected as unknown instead)',
  },
  {
    match: 'feature:pedantic-serial-number',
    reason: `serial-number encoding: ${PROFILE}`,
  },
  {
    match: 'rfc5280::aki::*',
    reason: `authorityKeyIdentifier presence/criticality: ${PROFILE}`,
  },
  {
    match: 'rfc5280::ski::*',
    reason: `subjectKeyIdentifier presence/criticality: ${PROFILE}`,
  },
  {
    match: 'webpki::aki::*',
    reason: `CABF root authorityKeyIdentifier fields: ${PROFILE}`,
  },
  {
    match: 'rfc5280::root-non-critical-basic-constraints',
    reason: `basicConstraints criticality on a root: ${PROFILE}`,
  },
  {
    match: 'rfc5280::san::noncritical-with-empty-subject',
    reason: `subjectAltName criticality: ${PROFILE}`,
  },
  {
    match: 'webpki::san::san-critical-with-nonempty-subject',
    reason: `subjectAltName criticality: ${PROFILE}`,
  },
  {
    match: 'webpki::eku::ee-critical-eku',
    reason: `EKU criticality (CABF 7.1.2.7.6): ${PROFILE}`,
  },
  {
    match: 'webpki::eku::ee-anyeku',
    reason: `a leaf EKU with serverAuth plus anyExtendedKeyUsage (CABF 7.1.2.7.10): ${PROFILE}; anyExtendedKeyUsage without serverAuth is rejected (tested in usage.test.ts)`,
  },
  {
    match: 'webpki::cn::*',
    reason:
      'subject CN spelled differently from its SAN (CABF 7.1.4.3): a profile lint; clients and matchHost never read the CN',
  },
  {
    match: 'webpki::eku::root-has-eku',
    reason: `EKU on a root (CABF 7.1.2.1.2): ${PROFILE}`,
  },
  {
    match: 'webpki::eku::ee-without-eku',
    reason:
      'conflicts with rfc5280::eku::ee-without-eku; we follow RFC 5280 and OpenSSL: a leaf without EKU may serve (ekuAllows reports `absent` so a rule can warn)',
  },
  {
    match: 'rfc5280::ca-as-leaf',
    reason:
      'conflicts with webpki::ca-as-leaf; we follow webpki and OpenSSL (purpose sslserver rejects it): a CA certificate served as the leaf fails',
  },
  {
    match: 'pathlen::validation-ignores-pathlen-in-leaf',
    reason:
      'its leaf is a CA certificate (CA:TRUE, keyUsage keyCertSign only), which our server profile rejects like webpki and OpenSSL; pathLen accounting itself is covered by the other pathlen cases',
  },
  {
    match: 'rfc5280::nc::permitted-dns-match-noncritical',
    reason:
      'conflicts with webpki::nc::permitted-dns-match-noncritical; we follow webpki and OpenSSL, which apply non-critical name constraints',
  },
  {
    match: 'webpki::forbidden-*',
    reason:
      'key algorithm and size policy belongs to CERT-03/CERT-04 with their own thresholds, not to path validation',
  },
  {
    match: 'webpki::explicit-curve',
    reason: 'key encoding policy (explicit EC parameters) belongs to CERT-03',
  },
  {
    match: 'feature:email',
    reason:
      'rfc822Name (email) identities and constraints: no FL participant is authenticated by email; such constraints make validatePath answer `unsupported`, never a pass',
  },
];

function matches(c: LimboCase, match: string): boolean {
  if (match === 'feature:email')
    return (
      c.expected_peer_names.some(n => n.kind === 'RFC822') ||
      c.expected_peer_name?.kind === 'RFC822' ||
      /email/.test(c.id)
    );
  if (match.startsWith('feature:')) return c.features.includes(match.slice(8));
  if (match.endsWith('*')) return c.id.startsWith(match.slice(0, -1));
  return c.id === match;
}

export function exclusionOf(c: LimboCase): Exclusion | undefined {
  return EXCLUSIONS.find(e => matches(c, e.match));
}

function keyUsages(names: string[]): KeyUsageName[] {
  return names as KeyUsageName[];
}

export function runLimboCase(c: LimboCase): PathResult {
  return validatePath({
    served: [new X509Certificate(c.peer_certificate)],
    intermediates: c.untrusted_intermediates.map(p => new X509Certificate(p)),
    anchors: c.trusted_certs.map(p => new X509Certificate(p)),
    now: c.validation_time ? new Date(c.validation_time) : LIMBO_DEFAULT_TIME,
    purpose: c.validation_kind === 'SERVER' ? 'server' : 'client',
    host: c.expected_peer_name?.value,
    maxIntermediates: c.max_chain_depth ?? undefined,
    requiredKeyUsage: keyUsages(c.key_usage),
  });
}
