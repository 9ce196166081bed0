/**
 * The `openssl verify` CLI (purpose sslserver, -verify_hostname/-verify_ip,
 * -attime) as an independent oracle on the in-scope x509-limbo cases: where
 * OpenSSL and limbo agree, our verdict must be theirs; where they disagree,
 * the case must be one of the known differences below, each with its reason.
 */
import { opensslVerifies } from './__testUtils__/issue';
import {
  LIMBO_DEFAULT_TIME,
  LimboCase,
  exclusionOf,
  loadLimbo,
  runLimboCase,
} from './__testUtils__/limbo';

/** In-scope cases where OpenSSL 3 (default flags) and limbo disagree; we follow limbo. */
const OPENSSL_DIFFERS: Record<string, string> = {
  'cve::cve-2025-61727':
    'OpenSSL applies the excluded subtree to the wildcard SAN literally; limbo (and we) reject a wildcard that might match an excluded name',
  'pathlen::max-chain-depth-0-exhausted':
    'limbo counts the depth limit in intermediates, -verify_depth counts differently',
  'pathlen::max-chain-depth-1-exhausted':
    'limbo counts the depth limit in intermediates, -verify_depth counts differently',
  'rfc5280::nc::invalid-dnsname-leading-period':
    'OpenSSL accepts a leading-period dNSName constraint; RFC 5280 does not allow it',
  'rfc5280::nc::not-allowed-in-ee-noncritical':
    'OpenSSL ignores nameConstraints in an end-entity certificate',
  'rfc5280::nc::not-allowed-in-ee-critical':
    'OpenSSL ignores nameConstraints in an end-entity certificate',
  'rfc5280::nc::nc-permits-invalid-dns-san':
    'OpenSSL lets a malformed dNSName SAN through name constraints',
  'rfc5280::nc::nc-forbids-alternate-chain-ica':
    'OpenSSL builds one path and does not backtrack to the alternative',
  'rfc5280::nc::nc-forbids-same-chain-ica':
    'OpenSSL builds one path and does not backtrack to the alternative',
  'rfc5280::nc::nc-forbids-dnsname-wildcard-san':
    'as cve-2025-61727: wildcard SAN vs excluded subtree',
  'rfc5280::san::underscore-dns': 'OpenSSL matches host names with underscores',
  'rfc5280::validity::notafter-exact':
    'OpenSSL treats notAfter as exclusive; RFC 5280 validity is inclusive',
  'rfc5280::validity::notafter-fractional':
    'OpenSSL treats notAfter as exclusive; RFC 5280 validity is inclusive',
  'rfc5280::ca-empty-subject': 'OpenSSL accepts a CA with an empty subject',
  'rfc5280::root-missing-basic-constraints':
    'OpenSSL accepts a self-signed v3 root without basicConstraints as a trust anchor',
  'rfc5280::leaf-ku-keycertsign':
    'OpenSSL accepts keyCertSign in a CA:FALSE leaf',
  'webpki::nc::intermediate-permitted-excluded-subtrees-both-null':
    'OpenSSL accepts an empty nameConstraints extension',
  'webpki::nc::intermediate-permitted-excluded-subtrees-both-empty-sequences':
    'OpenSSL accepts an empty nameConstraints extension',
  'webpki::san::public-suffix-multi-label-wildcard-san':
    'OpenSSL has no public suffix list (*.co.uk matches)',
  'webpki::san::public-suffix-private-namespace-wildcard-san':
    'OpenSSL has no public suffix list (*.s3.amazonaws.com matches)',
  'webpki::san::wildcard-embedded-leftmost-san':
    'OpenSSL allows partial wildcards unless told not to (ba*.example.com)',
  'webpki::san::no-san':
    'OpenSSL falls back to the subject CN when there is no SAN',
  'webpki::malformed-aia':
    'OpenSSL does not decode authorityInfoAccess during verification',
  'webpki::v1-cert':
    'OpenSSL falls back to the CN of a certificate without extensions',
  'webpki::ee-basicconstraints-ca':
    'OpenSSL accepts a CA:TRUE leaf whose keyUsage allows TLS',
};

function hostOf(c: LimboCase): { dns?: string; ip?: string } | undefined {
  const name = c.expected_peer_name;
  if (name?.kind === 'IP') return { ip: name.value };
  if (name?.kind === 'DNS') return { dns: name.value };
  return undefined;
}

const inScope = loadLimbo().filter(
  c => !exclusionOf(c) && c.validation_kind === 'SERVER',
);

describe('x509-limbo against openssl verify', () => {
  const verdicts = inScope.map(c => {
    const openssl = opensslVerifies({
      leaf: c.peer_certificate,
      anchors: c.trusted_certs,
      untrusted: c.untrusted_intermediates,
      host: hostOf(c),
      attime: c.validation_time
        ? new Date(c.validation_time)
        : LIMBO_DEFAULT_TIME,
    }).ok;
    return {
      id: c.id,
      limbo: c.expected_result === 'SUCCESS',
      openssl,
      ours: runLimboCase(c).ok,
    };
  });

  it('agrees with OpenSSL wherever OpenSSL and limbo agree', () => {
    const agreeing = verdicts.filter(v => v.openssl === v.limbo);
    expect(agreeing.length).toBe(
      inScope.length - Object.keys(OPENSSL_DIFFERS).length,
    );
    expect(agreeing.filter(v => v.ours !== v.openssl)).toEqual([]);
  });

  it('differs from OpenSSL only on the known, explained cases', () => {
    const differing = verdicts
      .filter(v => v.openssl !== v.limbo)
      .map(v => v.id);
    expect(differing.sort()).toEqual(Object.keys(OPENSSL_DIFFERS).sort());
  });
});
