import {
  AGG_NS,
  SERVER_DNS,
  certificate,
  evaluate,
  federationPki,
  replace,
  resultFor,
  secureFederation,
  tlsSecret,
  without,
} from '../__testUtils__/builders';
import { KeySpec, issueCertificate } from '../__testUtils__/certs';

const rule = 'CERT-03';

function withServerKey(key: KeySpec) {
  const { ca } = federationPki();
  const cert = issueCertificate({
    commonName: 'superlink',
    dnsNames: SERVER_DNS,
    extendedKeyUsage: ['serverAuth'],
    issuer: ca,
    key,
  });
  return evaluate(
    replace(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
      tlsSecret(AGG_NS, 'superlink-tls', {
        crt: cert.certPem,
        key: cert.keyPem,
        ca: ca.certPem,
      }),
    ),
  );
}

describe('CERT-03 key strength', () => {
  it.each([
    ['ec-p256', 'pass'],
    ['rsa-2048', 'pass'],
    ['ed25519', 'pass'],
    ['rsa-1024', 'fail'],
    ['ec-p224', 'fail'],
  ] as Array<[KeySpec, string]>)('%s -> %s', (key, status) => {
    expect(
      resultFor(withServerKey(key), rule, 'superlink-tls', AGG_NS, 'Secret')
        .status,
    ).toBe(status);
  });

  it('names the weak key', () => {
    expect(
      resultFor(
        withServerKey('rsa-1024'),
        rule,
        'superlink-tls',
        AGG_NS,
        'Secret',
      ).message,
    ).toMatch(/RSA 1024 bits \(< 2048\)/);
  });

  it('checks requested keys of Certificate specs offline', () => {
    const objects = without(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
    );
    const specOf = (privateKey?: Record<string, unknown>) =>
      resultFor(
        evaluate(
          replace(
            objects,
            'Certificate',
            AGG_NS,
            'superlink-tls',
            certificate(
              AGG_NS,
              'superlink-tls',
              privateKey ? { privateKey } : {},
            ),
          ),
        ),
        rule,
        'superlink-tls',
        AGG_NS,
        'Certificate',
      ).status;
    expect(specOf()).toBe('pass'); // cert-manager default: RSA 2048
    expect(specOf({ algorithm: 'RSA', size: 1024 })).toBe('fail');
    expect(specOf({ algorithm: 'ECDSA', size: 224 })).toBe('fail');
    expect(specOf({ algorithm: 'Ed25519' })).toBe('pass');
    expect(specOf({ algorithm: 'DSA' })).toBe('error');
  });
});
