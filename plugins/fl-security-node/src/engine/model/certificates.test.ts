import { X509Certificate } from 'node:crypto';
import { issueCa, issueCertificate } from '../__testUtils__/certs';
import { b64, tlsSecret } from '../__testUtils__/builders';
import {
  isSelfSigned,
  keyInfo,
  parsePemCertificates,
  subjectAltNames,
  tlsMaterial,
} from './certificates';

const root = issueCa('Root CA');
const intermediate = issueCa('Intermediate CA', {
  issuer: root,
  keyName: 'intermediate',
  key: 'ec-p256',
});
const leaf = issueCertificate({
  commonName: 'leaf',
  dnsNames: ['a.example.com', '*.b.example.com'],
  ipAddresses: ['10.0.0.1'],
  extendedKeyUsage: ['serverAuth'],
  issuer: intermediate,
});
const otherRoot = issueCa('Other CA', { keyName: 'other' });
const x509 = (pem: string) => new X509Certificate(pem);

describe('parsePemCertificates', () => {
  it('reads every block of a chain', () => {
    const parsed = parsePemCertificates(
      `${leaf.certPem}\n${intermediate.certPem}`,
      'tls.crt',
    );
    expect(parsed.error).toBeUndefined();
    expect(parsed.certs.map(c => c.subject)).toEqual([
      'CN=leaf',
      'CN=Intermediate CA',
    ]);
  });

  it('reports garbage instead of throwing', () => {
    expect(parsePemCertificates('hello', 'tls.crt').error).toBe(
      'tls.crt holds no PEM certificate',
    );
    const broken =
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
    const parsed = parsePemCertificates(`${leaf.certPem}${broken}`, 'tls.crt');
    expect(parsed.error).toMatch(
      /tls.crt: PEM block 2 is not a valid certificate/,
    );
  });
});

describe('tlsMaterial', () => {
  it('decodes data and stringData, checks the key without exposing it', () => {
    const material = tlsMaterial(
      tlsSecret('ns', 's', {
        crt: `${leaf.certPem}${intermediate.certPem}`,
        key: leaf.keyPem,
        ca: root.certPem,
      }),
    );
    expect(material.chain).toHaveLength(2);
    expect(material.ca).toHaveLength(1);
    expect(material.keyMatches).toBe(true);
    const viaStringData = tlsMaterial({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 's' },
      stringData: { 'tls.crt': leaf.certPem, 'tls.key': otherRoot.keyPem },
    });
    expect(viaStringData.keyMatches).toBe(false);
  });

  it('never throws on broken Secrets', () => {
    const notBase64 = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { 'tls.crt': '%%%', 'tls.key': b64('garbage') },
    };
    expect(tlsMaterial(notBase64)).toMatchObject({
      chainError: 'tls.crt is not base64',
    });
    const badKey = tlsMaterial(
      tlsSecret('ns', 's', { crt: leaf.certPem, key: 'not a key' }),
    );
    expect(badKey.keyError).toBe('tls.key is not a readable private key');
    expect(tlsMaterial(tlsSecret('ns', 's', {})).chainError).toBe(
      'tls.crt is missing',
    );
  });
});

describe('certificate details', () => {
  it('parses SANs, key details and usages', () => {
    const cert = x509(leaf.certPem);
    expect(subjectAltNames(cert)).toEqual({
      dns: ['a.example.com', '*.b.example.com'],
      ip: ['10.0.0.1'],
    });
    expect(keyInfo(cert)).toEqual({
      keyType: 'ec',
      curve: 'prime256v1',
      keySize: 256,
    });
    expect(isSelfSigned(x509(root.certPem))).toBe(true);
    expect(isSelfSigned(cert)).toBe(false);
  });
});
