import {
  AGG_NS,
  SERVER_DNS,
  evaluate,
  federationPki,
  replace,
  resultFor,
  secureFederation,
  tlsSecret,
} from '../__testUtils__/builders';
import { issueCa, issueCertificate } from '../__testUtils__/certs';

const rule = 'CERT-04';

describe('CERT-04 signature algorithm', () => {
  it('passes SHA-256 signatures', () => {
    const result = resultFor(
      evaluate(secureFederation()),
      rule,
      'superlink-tls',
      AGG_NS,
    );
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(/ecdsa-with-SHA256/);
  });

  it('fails a SHA-1 signed certificate', () => {
    const { ca } = federationPki();
    const cert = issueCertificate({
      commonName: 'superlink',
      dnsNames: SERVER_DNS,
      issuer: ca,
      hash: 'sha1',
      key: 'rsa-2048',
    });
    const objects = replace(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
      tlsSecret(AGG_NS, 'superlink-tls', {
        crt: cert.certPem,
        key: cert.keyPem,
        ca: ca.certPem,
      }),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink-tls', AGG_NS);
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /tls.crt\[0\] \(CN=superlink\) is signed with ecdsa-with-SHA1/,
    );
  });

  it('does not fail on the self-signature of a root CA', () => {
    const root = issueCa('Old Root', {
      hash: 'sha1',
      keyName: 'old-root',
      key: 'rsa-2048',
    });
    const cert = issueCertificate({
      commonName: 'superlink',
      dnsNames: SERVER_DNS,
      issuer: root,
    });
    const objects = replace(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
      tlsSecret(AGG_NS, 'superlink-tls', {
        crt: cert.certPem,
        key: cert.keyPem,
        ca: root.certPem,
      }),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink-tls', AGG_NS);
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /self-signed root with sha1WithRSAEncryption \(not relied upon\)/,
    );
  });
});
