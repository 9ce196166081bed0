import {
  AGG_NS,
  SERVER_DNS,
  SITES,
  certificate,
  evaluate,
  federationPki,
  replace,
  resultFor,
  secureFederation,
  supernode,
  tlsSecret,
  without,
} from '../__testUtils__/builders';
import { IssueOptions, issueCa, issueCertificate } from '../__testUtils__/certs';
import type { KubeObject } from '../types';

const rule = 'CERT-06';

function withServer(
  options: Partial<IssueOptions>,
  chain: (leaf: string) => string = leaf => leaf,
  objects: KubeObject[] = secureFederation(),
) {
  const { ca } = federationPki();
  const cert = issueCertificate({
    commonName: 'superlink',
    dnsNames: SERVER_DNS,
    extendedKeyUsage: ['serverAuth'],
    issuer: ca,
    ...options,
  });
  const secret = tlsSecret(AGG_NS, 'superlink-tls', {
    crt: chain(cert.certPem),
    key: cert.keyPem,
    ca: ca.certPem,
  });
  return resultFor(
    evaluate(replace(objects, 'Secret', AGG_NS, 'superlink-tls', secret)),
    rule,
    'superlink-tls',
    AGG_NS,
    'Secret',
  );
}

describe('CERT-06 chain and usages', () => {
  it('passes a serverAuth certificate issued by the CA participants trust', () => {
    const result = resultFor(
      evaluate(secureFederation()),
      rule,
      'superlink-tls',
      AGG_NS,
      'Secret',
    );
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /chain verifies to ConfigMap site-a\/fl-ca key ca.crt/,
    );
  });

  it('fails a certificate from a CA participants do not trust', () => {
    const rogue = issueCa('Rogue CA', { keyName: 'rogue' });
    const result = withServer({ issuer: rogue });
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/chain does not verify.*CN=Rogue CA/);
  });

  it('needs the intermediate in tls.crt', () => {
    const { ca } = federationPki();
    const intermediate = issueCa('Intermediate', {
      issuer: ca,
      keyName: 'intermediate',
      key: 'ec-p256',
    });
    expect(withServer({ issuer: intermediate }).status).toBe('fail');
    expect(
      withServer(
        { issuer: intermediate },
        leaf => `${leaf}${intermediate.certPem}`,
      ).status,
    ).toBe('pass');
  });

  it('fails a server certificate without serverAuth and warns without any EKU', () => {
    const clientOnly = withServer({ extendedKeyUsage: ['clientAuth'] });
    expect(clientOnly.status).toBe('fail');
    expect(clientOnly.message).toMatch(/extendedKeyUsage lacks serverAuth/);
    expect(withServer({ extendedKeyUsage: undefined }).status).toBe('warn');
  });

  it('verifies against the system trust store when participants have no root bundle', () => {
    let objects = secureFederation();
    for (const site of SITES) {
      objects = replace(
        objects,
        'Deployment',
        site,
        'supernode',
        supernode(site, {
          args: [
            '--superlink',
            'superlink.fl-agg.svc:9092',
            '--auth-supernode-private-key',
            '/auth/private-key',
          ],
        }),
      );
    }
    objects = without(objects, 'Secret', 'cert-manager', 'fed-ca');
    const result = resultFor(
      evaluate(objects),
      rule,
      'superlink-tls',
      AGG_NS,
      'Secret',
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/does not verify to the system trust store/);
  });

  it('checks usages and issuer of Certificate specs offline', () => {
    const objects = without(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
    );
    const specOf = (spec: Record<string, unknown>, extra = objects) =>
      resultFor(
        evaluate(
          replace(
            extra,
            'Certificate',
            AGG_NS,
            'superlink-tls',
            certificate(AGG_NS, 'superlink-tls', spec),
          ),
        ),
        rule,
        'superlink-tls',
        AGG_NS,
        'Certificate',
      );
    expect(specOf({ usages: ['server auth'] }).status).toBe('pass');
    expect(specOf({ usages: ['client auth'] }).message).toMatch(
      /usages lack "server auth"/,
    );
    expect(specOf({}).status).toBe('warn');
    const noIssuer = without(objects, 'ClusterIssuer', undefined, 'fed-ca');
    expect(specOf({ usages: ['server auth'] }, noIssuer).message).toMatch(
      /ClusterIssuer fed-ca is not in the manifests/,
    );
  });

  it('fails a CA Secret that holds no CA certificate', () => {
    const { server } = federationPki();
    const objects = replace(
      secureFederation(),
      'Secret',
      'cert-manager',
      'fed-ca',
      tlsSecret('cert-manager', 'fed-ca', {
        crt: server.certPem,
        key: server.keyPem,
      }),
    );
    expect(
      resultFor(evaluate(objects), rule, 'fed-ca', 'cert-manager').message,
    ).toMatch(/without basicConstraints CA:TRUE/);
  });
});
