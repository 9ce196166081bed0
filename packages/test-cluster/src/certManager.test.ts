import { X509Certificate } from 'node:crypto';
import { applyManifests, describeFailures } from './apply';
import { issueCertificates, parseGoDuration } from './certManager';
import { issueCertificate } from './certificates';
import { startTestCluster, TestCluster } from './cluster';
import { kubeRequest } from './http';
import { createNamespaces, defaultSpec, generatedManifests } from './__testUtils__/generatedProjects';

jest.setTimeout(180_000);

describe('parseGoDuration', () => {
  it.each([
    ['2160h', 2160 * 3600],
    ['1h30m', 5400],
    ['90m0s', 5400],
    ['1.5h', 5400],
    ['500ms', 0.5],
  ])('reads %s', (text, seconds) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });

  it.each(['', '10', '1d', 'h', '1h x', '-1h'])('rejects %j', text => {
    expect(() => parseGoDuration(text)).toThrow(/invalid duration/);
  });
});

describe('issueCertificate', () => {
  it('issues with any validity window, including an expired one', () => {
    const ca = issueCertificate({
      commonName: 'test CA',
      isCA: true,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
    });
    const leaf = issueCertificate({
      dnsNames: ['superlink.fl.svc'],
      ipAddresses: ['127.0.0.1'],
      keyAlgorithm: 'RSA',
      keySize: 2048,
      notBefore: new Date('2021-01-01T00:00:00Z'),
      notAfter: new Date('2021-02-01T00:00:00Z'),
      usages: ['digital signature', 'key encipherment', 'server auth'],
      issuer: ca,
    });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.subjectAltName).toBe('DNS:superlink.fl.svc, IP Address:127.0.0.1');
    expect(new Date(cert.validTo).toISOString()).toBe('2021-02-01T00:00:00.000Z');
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(new X509Certificate(ca.certPem).ca).toBe(true);
  });

  it('reports what the tool rejected', () => {
    expect(() =>
      issueCertificate({ keyAlgorithm: 'RSA', keySize: 512, notBefore: new Date(), notAfter: new Date() }),
    ).toThrow(/unsupported RSA size 512/);
  });
});

describe('issueCertificates (cert-manager stand-in) on a real API server', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ crds: { gatewayApi: false, istio: false, vaultSecretsOperator: false } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('issues the CA chain of a generated federation as its Certificates specify', async () => {
    const { docs } = generatedManifests(defaultSpec);
    await createNamespaces(cluster, docs);
    expect(describeFailures(await applyManifests(cluster, docs))).toBe('');
    const certificates = docs.filter(doc => doc.kind === 'Certificate');
    expect(certificates.length).toBeGreaterThanOrEqual(3);

    const result = await issueCertificates(cluster);
    expect(result.notIssued).toEqual([]);
    expect(result.standInCaPem).toBeUndefined();
    expect(result.issued.map(i => `${i.namespace}/${i.name}`).sort()).toEqual(
      certificates.map(c => `${c.metadata.namespace}/${c.metadata.name}`).sort(),
    );

    for (const spec of certificates) {
      const { namespace, name } = spec.metadata;
      const secret = await kubeRequest(cluster, {
        path: `/api/v1/namespaces/${namespace}/secrets/${spec.spec.secretName}`,
        token: cluster.adminToken,
      });
      expect(secret.status).toBe(200);
      expect(secret.body.type).toBe('kubernetes.io/tls');
      expect(secret.body.metadata.annotations['cert-manager.io/certificate-name']).toBe(name);
      for (const [key, value] of Object.entries(spec.spec.secretTemplate?.labels ?? {})) {
        expect(secret.body.metadata.labels[key]).toBe(value);
      }
      const cert = new X509Certificate(Buffer.from(secret.body.data['tls.crt'], 'base64'));
      const ca = new X509Certificate(Buffer.from(secret.body.data['ca.crt'], 'base64'));
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.ca).toBe(spec.spec.isCA ?? false);
      const dnsSans = (cert.subjectAltName ?? '').split(', ').filter(san => san.startsWith('DNS:'));
      expect(dnsSans).toEqual((spec.spec.dnsNames ?? []).map((n: string) => `DNS:${n}`));
      const algorithm = spec.spec.privateKey?.algorithm ?? 'RSA';
      expect(cert.publicKey.asymmetricKeyType).toBe(algorithm === 'ECDSA' ? 'ec' : algorithm.toLowerCase());
      const lifetime = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 1000;
      expect(lifetime).toBe(parseGoDuration(spec.spec.duration ?? '2160h'));

      const stored = await kubeRequest(cluster, {
        path: `/apis/cert-manager.io/v1/namespaces/${namespace}/certificates/${name}`,
        token: cluster.adminToken,
      });
      expect(stored.body.status.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'True' })]);
      expect(Date.parse(stored.body.status.notAfter)).toBe(Date.parse(cert.validTo));
    }
  });

  it('breaks a certificate on request and stands in for issuers it cannot run', async () => {
    const docs = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'breakage' } },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: 'vault', namespace: 'breakage' },
        spec: { vault: { server: 'https://vault.example.com', path: 'pki/sign/fl', auth: { kubernetes: { role: 'fl', serviceAccountRef: { name: 'issuer' } } } } },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'expired', namespace: 'breakage' },
        spec: { secretName: 'expired-tls', dnsNames: ['a.example.org'], issuerRef: { name: 'vault' } },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'orphan', namespace: 'breakage' },
        spec: { secretName: 'orphan-tls', dnsNames: ['b.example.org'], issuerRef: { name: 'missing' } },
      },
    ];
    expect(describeFailures(await applyManifests(cluster, docs))).toBe('');
    const result = await issueCertificates(cluster, {
      namespaces: ['breakage'],
      override: ({ name }) =>
        name === 'expired'
          ? { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2024-04-01T00:00:00Z'), dnsNames: ['wrong.example.org'] }
          : undefined,
    });
    expect(result.issued).toEqual([
      expect.objectContaining({ name: 'expired', issuedBy: 'stand-in', notAfter: '2024-04-01T00:00:00.000Z' }),
    ]);
    expect(result.notIssued).toEqual([{ namespace: 'breakage', name: 'orphan', reason: 'Issuer missing not found' }]);
    const secret = await kubeRequest(cluster, {
      path: '/api/v1/namespaces/breakage/secrets/expired-tls',
      token: cluster.adminToken,
    });
    const cert = new X509Certificate(Buffer.from(secret.body.data['tls.crt'], 'base64'));
    expect(cert.subjectAltName).toBe('DNS:wrong.example.org');
    expect(cert.verify(new X509Certificate(result.standInCaPem!).publicKey)).toBe(true);
    const stored = await kubeRequest(cluster, {
      path: '/apis/cert-manager.io/v1/namespaces/breakage/certificates/expired',
      token: cluster.adminToken,
    });
    expect(stored.body.status.conditions[0]).toMatchObject({ type: 'Ready', status: 'False', reason: 'Expired' });
  });
});
