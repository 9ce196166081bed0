import { issue, leafExt } from './__testUtils__/issue';
import { ekuAllows, leafKeyUsageAllows } from './usage';

describe('ekuAllows', () => {
  const anyOnly = issue({
    subject: '/CN=any',
    ext: leafExt('DNS:a.example.com', 'anyExtendedKeyUsage'),
  });
  const server = issue({
    subject: '/CN=s',
    ext: leafExt('DNS:a.example.com', 'serverAuth'),
  });
  const client = issue({
    subject: '/CN=c',
    ext: leafExt('DNS:a.example.com', 'clientAuth'),
  });
  const none = issue({
    subject: '/CN=n',
    ext: leafExt('DNS:a.example.com', ''),
  });

  it('refuses anyExtendedKeyUsage alone for a server (CERT-06 accepted it before #18)', () => {
    expect(ekuAllows(anyOnly.cert, 'server')).toEqual({
      allowed: false,
      reason:
        'extendedKeyUsage has anyExtendedKeyUsage but not serverAuth (anyExtendedKeyUsage); OpenSSL and BoringSSL reject it',
    });
  });

  it('requires the purpose named', () => {
    expect(ekuAllows(server.cert, 'server')).toEqual({
      allowed: true,
      absent: false,
    });
    expect(ekuAllows(client.cert, 'client')).toEqual({
      allowed: true,
      absent: false,
    });
    expect(ekuAllows(server.cert, 'client')).toEqual({
      allowed: false,
      reason: 'extendedKeyUsage lacks clientAuth (serverAuth)',
    });
  });

  it('allows any purpose without the extension, and says it is absent', () => {
    expect(ekuAllows(none.cert, 'server')).toEqual({
      allowed: true,
      absent: true,
    });
  });
});

describe('leafKeyUsageAllows', () => {
  it('needs a TLS key usage when keyUsage is present', () => {
    const signOnly = issue({
      subject: '/CN=k',
      ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,cRLSign'],
    });
    expect(leafKeyUsageAllows(signOnly.cert)).toEqual({
      allowed: false,
      reason:
        'keyUsage (cRLSign) allows neither digitalSignature, keyEncipherment nor keyAgreement',
    });
    const tls = issue({ subject: '/CN=t', ext: leafExt('DNS:t.example.com') });
    expect(leafKeyUsageAllows(tls.cert, ['digitalSignature'])).toEqual({
      allowed: true,
      absent: false,
    });
    expect(leafKeyUsageAllows(tls.cert, ['keyEncipherment'])).toEqual({
      allowed: false,
      reason: 'keyUsage lacks keyEncipherment',
    });
  });
});
