/**
 * matchHost against certificates issued by openssl, with Node's checkHost /
 * checkIP (OpenSSL's X509_check_host / X509_check_ip) as the oracle where
 * OpenSSL and TLS clients agree, and today's text comparison of SANs
 * (engine/model/certificates.ts subjectAltNames) for the IPv6 defect.
 */
import { subjectAltNames } from '../model/certificates';
import { issue, leafExt } from './__testUtils__/issue';
import { matchHost, matchIp } from './matchHost';

const NO_CN = { subject: 'never', partialWildcards: false } as const;

describe('matchHost', () => {
  const v6 = issue({
    subject: '/CN=v6',
    ext: leafExt('DNS:fl.example.com,IP:2001:db8::10,IP:10.0.0.7'),
  });
  const wild = issue({
    subject: '/CN=fl.example.com',
    ext: leafExt('DNS:*.example.com,DNS:*.co.uk'),
  });
  const cnOnly = issue({
    subject: '/CN=cn.example.com',
    ext: ['basicConstraints=critical,CA:FALSE'],
  });

  it('compares IPv6 canonically (today: text comparison fails)', () => {
    expect(matchHost(v6.cert, '2001:DB8:0:0:0:0:0:10')).toEqual({
      matched: true,
      by: 'IP:2001:db8::10',
    });
    expect(matchHost(v6.cert, '2001:db8::10')).toEqual({
      matched: true,
      by: 'IP:2001:db8::10',
    });
    expect(v6.node.checkIP('2001:DB8:0:0:0:0:0:10')).toBe(
      '2001:DB8:0:0:0:0:0:10',
    );
    // Today CERT-05 compares the SAN text Node prints with the dialled text.
    expect(subjectAltNames(v6.node).ip).not.toContain('2001:db8::10');
  });

  it('matches IPv4 only by iPAddress SANs', () => {
    expect(matchIp(v6.cert, '10.0.0.7').matched).toBe(true);
    expect(matchHost(v6.cert, '10.0.0.8')).toEqual({
      matched: false,
      reason:
        'no iPAddress SAN is 10.0.0.8 (SANs: DNS:fl.example.com, IP:2001:db8::10, IP:10.0.0.7)',
    });
    expect(matchIp(v6.cert, 'fl.example.com').matched).toBe(false);
  });

  it('matches DNS names case-insensitively, wildcards over one label only', () => {
    expect(matchHost(v6.cert, 'FL.EXAMPLE.COM').matched).toBe(true);
    expect(matchHost(wild.cert, 'a.example.com')).toEqual({
      matched: true,
      by: 'DNS:*.example.com',
    });
    expect(matchHost(wild.cert, 'a.b.example.com').matched).toBe(false);
    expect(wild.node.checkHost('a.b.example.com', NO_CN)).toBeUndefined();
  });

  it('refuses a wildcard over a public suffix that OpenSSL would accept', () => {
    expect(matchHost(wild.cert, 'victim.co.uk').matched).toBe(false);
    expect(wild.node.checkHost('victim.co.uk', NO_CN)).toBe('*.co.uk');
  });

  it('never falls back to the subject CN', () => {
    expect(matchHost(cnOnly.cert, 'cn.example.com')).toEqual({
      matched: false,
      reason:
        'the certificate has no subjectAltName (clients ignore the subject CN)',
    });
    expect(matchHost(wild.cert, 'fl.example.com').matched).toBe(true);
    expect(matchHost(v6.cert, 'v6').matched).toBe(false);
  });

  it('agrees with X509_check_host on ordinary names', () => {
    for (const host of [
      'fl.example.com',
      'x.example.com',
      'example.com',
      'fl.example.org',
    ]) {
      const openssl = v6.node.checkHost(host, NO_CN) !== undefined;
      expect([host, matchHost(v6.cert, host).matched]).toEqual([host, openssl]);
    }
  });
});
