/**
 * The certificate defects of issue #18, through the engine: what CERT-05,
 * CERT-06 and CERT-03 say about the secure federation when the aggregator
 * serves a chain a TLS client would reject (or accept), and when the
 * participants trust something else than the issuer's CA.

 */
import type { RuleResult } from '@fl-security/plugin-fl-security-common';
import {
  AGG_NS,
  SERVER_DNS,
  SITES,
  evaluate,
  federationPki,
  namespace,
  replace,
  resultFor,
  secureFederation,
  supernode,
  tlsSecret,
  without,
} from './__testUtils__/builders';
import { issueCertificate } from './__testUtils__/certs';
import { withSuperlinkAddress, withTrust } from './__testUtils__/trust';
import {
  CA_EXT,
  Issued,
  issue,
  leafExt,
  smallPki,
} from './x509/__testUtils__/issue';

const SANS = SERVER_DNS.map(name => `DNS:${name}`).join(',');

function served(objects = secureFederation()) {
  const report = evaluate(objects);
  return {
    report,
    chain: resultFor(report, 'CERT-06', 'superlink-tls', AGG_NS, 'Secret'),
    names: resultFor(report, 'CERT-05', 'superlink', AGG_NS),
  };
}

function serving(
  chain: Issued[],
  trusted: Issued[],
  issuerCa: Issued[] = trusted,
) {
  return served(
    withTrust(secureFederation(), {
      served: chain.map(c => c.pem),
      participantsTrust: trusted.map(c => c.pem),
      issuerCa: issuerCa.map(c => c.pem),
    }),
  );
}

const brief = (r: RuleResult) => ({ status: r.status, message: r.message });

describe('CERT-06 validates the served path as a TLS client does', () => {
  it('passes a well-formed chain root → intermediate → leaf', () => {
    const { root, mid, leaf } = smallPki({ leafSan: SANS });
    const { chain, names } = serving([leaf, mid], [root]);
    expect(brief(chain)).toEqual({
      status: 'pass',
      message: expect.stringMatching(/verifies/),
    });
    expect(names.status).toBe('pass');
  });

  it('fails an intermediate with basicConstraints CA:FALSE, naming why', () => {
    const { root, mid, leaf } = smallPki({
      leafSan: SANS,
      midExt: [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
    });
    const { chain } = serving([leaf, mid], [root]);
    expect(chain.status).toBe('fail');
    expect(chain.message).toMatch(
      /issuer CN=Test Mid is not a CA \(basicConstraints CA:FALSE\)/,
    );
    expect(chain.message).not.toMatch(/not signed by the next certificate/);
  });

  it('fails a leaf with an unknown critical extension', () => {
    const { root, mid, leaf } = smallPki({
      leafExt: [...leafExt(SANS), '1.3.6.1.4.1.55555.1=critical,ASN1:NULL'],
    });
    const { chain } = serving([leaf, mid], [root]);
    expect(chain.status).toBe('fail');
    expect(chain.message).toMatch(
      /critical extension 1\.3\.6\.1\.4\.1\.55555\.1/,
    );
  });

  it('fails a CA certificate served as the leaf (not just a warning)', () => {
    const { root, mid, leaf } = smallPki({
      leafExt: [
        'basicConstraints=critical,CA:TRUE',
        'keyUsage=critical,digitalSignature,keyCertSign',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${SANS}`,
      ],
    });
    const { chain } = serving([leaf, mid], [root]);
    expect(chain.status).toBe('fail');
    expect(chain.message).toMatch(/CA certificate .*served as the leaf/);
  });

  it('fails a leaf whose only extendedKeyUsage is anyExtendedKeyUsage', () => {
    const { root, mid, leaf } = smallPki({
      leafExt: leafExt(SANS, 'anyExtendedKeyUsage'),
    });
    const { chain } = serving([leaf, mid], [root]);
    expect(chain.status).toBe('fail');
    expect(chain.message).toMatch(/serverAuth/);
  });

  it('builds the path from an unordered tls.crt (leaf, then the upper CA before the lower)', () => {
    const root = issue({ subject: '/CN=Order Root', ext: CA_EXT, days: 365 });
    const upper = issue({
      subject: '/CN=Order Upper',
      ext: CA_EXT,
      issuer: root,
      days: 200,
    });
    const lower = issue({
      subject: '/CN=Order Lower',
      ext: CA_EXT,
      issuer: upper,
      days: 100,
    });
    const leaf = issue({
      subject: '/CN=superlink',
      ext: leafExt(SANS),
      issuer: lower,
    });
    const { chain } = serving([leaf, upper, lower], [root]);
    expect(brief(chain)).toEqual({
      status: 'pass',
      message: expect.stringMatching(/verifies/),
    });
  });
});

describe('CERT-06 trust anchors are what the participants trust', () => {
  /** The aggregator re-issued from a new CA (also the issuer's Secret); participants trust `trusted`. */
  function rotation(trusted: (old: Issued, next: Issued) => Issued[]) {
    const old = issue({ subject: '/CN=Fed CA 2025', ext: CA_EXT, days: 365 });
    const next = issue({ subject: '/CN=Fed CA 2026', ext: CA_EXT, days: 365 });
    const leaf = issue({
      subject: '/CN=superlink',
      ext: leafExt(SANS),
      issuer: next,
    });
    return served(
      withTrust(secureFederation(), {
        served: [leaf.pem],
        servedCa: [next.pem],
        participantsTrust: trusted(old, next).map(c => c.pem),
        issuerCa: [next.pem],
      }),
    ).chain;
  }

  it('fails after a CA rotation the participants have not followed (the issuer Secret is no anchor)', () => {
    const chain = rotation(old => [old]);
    expect(chain.status).toBe('fail');
    expect(chain.message).toMatch(/CN=Fed CA 2026/);
  });

  it('passes the same rotation once the participants trust the new CA', () => {
    expect(rotation((old, next) => [old, next]).status).toBe('pass');
  });

  it('does not pass when the participants\u2019 trust bundle cannot be read', () => {
    let objects = secureFederation();
    for (const site of SITES)
      objects = without(objects, 'ConfigMap', site, 'fl-ca');
    const { chain } = served(objects);
    expect(chain.status).toBe('skip');
    expect(chain.message).toMatch(/fl-ca/);
  });
});

describe('CERT-05 compares names as X509_check_host does', () => {
  const sans = `${SANS},IP:2001:db8::10`;

  it.each([
    ['[2001:db8::10]:9092'],
    ['[2001:DB8:0:0:0:0:0:10]:9092'],
    ['[2001:0db8:0000::0010]:9092'],
  ])('matches an IPv6 SAN 2001:db8::10 dialled as %s', address => {
    const { root, mid, leaf } = smallPki({ leafSan: sans });
    const objects = withSuperlinkAddress(
      withTrust(secureFederation(), {
        served: [leaf.pem, mid.pem],
        participantsTrust: [root.pem],
      }),
      address,
    );
    const { names } = served(objects);
    expect(brief(names)).toEqual({
      status: 'pass',
      message: expect.stringMatching(/covers every dialled name/),
    });
  });

  it('fails another IPv6 address', () => {
    const { root, mid, leaf } = smallPki({ leafSan: sans });
    const objects = withSuperlinkAddress(
      withTrust(secureFederation(), {
        served: [leaf.pem, mid.pem],
        participantsTrust: [root.pem],
      }),
      '[2001:db8::11]:9092',
    );
    const { names } = served(objects);
    expect(names.status).toBe('fail');
    expect(names.message).toMatch(/2001:db8::11/);
  });
});

describe('bounded messages', () => {
  it('CERT-03 names a few of 13,700 certificates and counts the rest', () => {
    const { root, mid, leaf } = smallPki({ leafSan: SANS });
    const objects = withTrust(secureFederation(), {
      served: [leaf.pem, mid.pem, ...Array(13_698).fill(root.pem)],
      participantsTrust: [root.pem],
    });
    const report = evaluate(objects);
    const keys = resultFor(
      report,
      'CERT-03',
      'superlink-tls',
      AGG_NS,
      'Secret',
    );
    expect(keys.status).toBe('pass');
    expect(keys.message.length).toBeLessThan(600);
    expect(keys.message).toMatch(/and 13,\d{3} more/);
    for (const result of report.results)
      expect(result.message.length).toBeLessThan(2000);
  });
});

describe('CERT-06 reads a trust-manager Bundle as the participants mount it', () => {
  function withBundle(sourcePem: string | undefined) {
    let objects = secureFederation();
    for (const site of SITES)
      objects = without(objects, 'ConfigMap', site, 'fl-ca');
    objects.push({
      apiVersion: 'trust.cert-manager.io/v1alpha1',
      kind: 'Bundle',
      metadata: { name: 'fl-ca' },
      spec: {
        sources: [{ configMap: { name: 'fed-roots', key: 'ca.crt' } }],
        target: { configMap: { key: 'ca.crt' } },
      },
    });
    if (sourcePem !== undefined)
      objects.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'fed-roots', namespace: 'cert-manager' },
        data: { 'ca.crt': sourcePem },
      });
    return objects;
  }

  it('passes when the Bundle source holds the CA that issued the chain', () => {
    const { chain } = served(withBundle(federationPki().ca.certPem));
    expect(chain.status).toBe('pass');
    expect(chain.message).toMatch(/trust-manager Bundle fl-ca/);
  });

  it('fails when the Bundle source holds another CA', () => {
    const other = issue({ subject: '/CN=Other CA', ext: CA_EXT, days: 365 });
    const { chain } = served(withBundle(other.pem));
    expect(chain.status).toBe('fail');
  });

  it('skips, naming the source, when the Bundle source is not in the snapshot', () => {
    const { chain } = served(withBundle(undefined));
    expect(chain.status).toBe('skip');
    expect(chain.message).toMatch(/cert-manager\/fed-roots/);
  });
});

describe('CERT-06 validates client certificates against what the aggregator trusts', () => {
  function withClientCert(pem: string) {
    let objects = secureFederation();
    for (const site of SITES) {
      objects = replace(objects, 'Deployment', site, 'supernode', d => {
        const pod = (d.spec as any).template.spec;
        pod.volumes.push({ name: 'tls', secret: { secretName: 'node-tls' } });
        pod.containers[0].volumeMounts.push({
          name: 'tls',
          mountPath: '/tls',
          readOnly: true,
        });
        return d;
      });
      objects.push(tlsSecret(site, 'node-tls', { crt: pem }));
    }
    return objects;
  }
  const clientResult = (objects: ReturnType<typeof secureFederation>) =>
    resultFor(evaluate(objects), 'CERT-06', 'node-tls', SITES[0], 'Secret');

  it('passes a clientAuth certificate from the CA in --ssl-ca-certfile', () => {
    const { ca } = federationPki();
    const client = issueCertificate({
      commonName: 'site-a',
      extendedKeyUsage: ['clientAuth'],
      issuer: ca,
    });
    expect(clientResult(withClientCert(client.certPem)).status).toBe('pass');
  });

  it('fails a client certificate without clientAuth', () => {
    const { ca } = federationPki();
    const serverOnly = issueCertificate({
      commonName: 'site-a',
      extendedKeyUsage: ['serverAuth'],
      issuer: ca,
    });
    const result = clientResult(withClientCert(serverOnly.certPem));
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/clientAuth/);
  });
});

describe('CERT-06 messages stay short for large federations', () => {
  it('names a few participants and counts the rest', () => {
    let objects = secureFederation();
    const extra = Array.from({ length: 40 }, (_, i) => `site-x${i}`);
    for (const site of extra)
      objects = [
        ...objects,
        namespace(site),
        supernode(site),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'fl-ca', namespace: site },
          data: {
            'ca.crt': issue({ subject: `/CN=${site} CA`, ext: CA_EXT }).pem,
          },
        },
      ];
    const { chain } = served(objects);
    expect(chain.status).toBe('fail');
    expect(chain.message).toMatch(/and \d+ more/);
    expect(chain.message.length).toBeLessThan(2000);
  });
});

describe('no wildcard match across a public suffix', () => {
  // model/dnsNames coveredBy (CERT-05 and ING-02 before #18) accepted *.co.uk for fl.co.uk.
  it('CERT-05 fails a *.co.uk certificate dialled as fl.co.uk', () => {
    const { root, mid, leaf } = smallPki({ leafSan: `${SANS},DNS:*.co.uk` });
    const objects = withSuperlinkAddress(
      withTrust(secureFederation(), {
        served: [leaf.pem, mid.pem],
        participantsTrust: [root.pem],
      }),
      'fl.co.uk:9092',
    );
    const { names } = served(objects);
    expect(names.status).toBe('fail');
    expect(names.message).toMatch(/fl\.co\.uk/);
  });

  it('CERT-05 passes *.example.co.uk dialled as fl.example.co.uk', () => {
    const { root, mid, leaf } = smallPki({
      leafSan: `${SANS},DNS:*.example.co.uk`,
    });
    const objects = withSuperlinkAddress(
      withTrust(secureFederation(), {
        served: [leaf.pem, mid.pem],
        participantsTrust: [root.pem],
      }),
      'fl.example.co.uk:9092',
    );
    expect(served(objects).names.status).toBe('pass');
  });
});

describe('a trust-manager Bundle that does not target the participant namespace', () => {
  it('is an error, not a pass (the ConfigMap will not exist)', () => {
    let objects = secureFederation();
    for (const site of SITES)
      objects = without(objects, 'ConfigMap', site, 'fl-ca');
    objects.push({
      apiVersion: 'trust.cert-manager.io/v1alpha1',
      kind: 'Bundle',
      metadata: { name: 'fl-ca' },
      spec: {
        sources: [{ inLine: federationPki().ca.certPem }],
        target: {
          configMap: { key: 'ca.crt' },
          namespaceSelector: {
            matchLabels: { 'fl-security/federation': 'other' },
          },
        },
      },
    });
    const { chain } = served(objects);
    expect(chain.status).toBe('error');
    expect(chain.message).toMatch(/does not render into namespace site-a/);
  });
});
