import {
  AGG_NS,
  EXTERNAL_HOST,
  certificate,
  evaluate,
  federationPki,
  gatewayObjects,
  ingress,
  replace,
  resultFor,
  secureFederation,
  tlsSecret,
  without,
} from '../__testUtils__/builders';
import { issueCertificate } from '../__testUtils__/certs';
import type { KubeObject } from '../types';

const rule = 'ING-02';
const backend = { service: { name: 'superlink', port: { number: 9092 } } };
const rulesFor = (...hosts: string[]) =>
  hosts.map(host => ({
    host,
    http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
  }));

function terminating(
  hosts: string[],
  tlsHosts: string[],
  certDns: string[] | 'garbage',
): KubeObject[] {
  const { ca } = federationPki();
  const secret =
    certDns === 'garbage'
      ? tlsSecret(AGG_NS, 'edge-tls', {
          crt: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
          key: 'x',
        })
      : (() => {
          const cert = issueCertificate({
            commonName: 'edge',
            dnsNames: certDns,
            extendedKeyUsage: ['serverAuth'],
            issuer: ca,
          });
          return tlsSecret(AGG_NS, 'edge-tls', {
            crt: cert.certPem,
            key: cert.keyPem,
            ca: ca.certPem,
          });
        })();
  return [
    ...replace(
      secureFederation(),
      'Ingress',
      AGG_NS,
      'superlink',
      ingress(
        { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPCS' },
        {
          rules: rulesFor(...hosts),
          tls: [{ hosts: tlsHosts, secretName: 'edge-tls' }],
        },
      ),
    ),
    secret,
  ];
}

describe('ING-02 host coverage', () => {
  it('checks passthrough hosts against the aggregator certificate', () => {
    expect(
      resultFor(evaluate(secureFederation()), rule, 'superlink', AGG_NS).status,
    ).toBe('pass');
    const { ca } = federationPki();
    const narrow = issueCertificate({
      commonName: 'superlink',
      dnsNames: ['superlink.fl-agg.svc'],
      extendedKeyUsage: ['serverAuth'],
      issuer: ca,
    });
    const objects = replace(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
      tlsSecret(AGG_NS, 'superlink-tls', {
        crt: narrow.certPem,
        key: narrow.keyPem,
        ca: ca.certPem,
      }),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink', AGG_NS);
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /does not cover fl.example.com \(DNS SANs: superlink.fl-agg.svc\)/,
    );
  });

  it('passes a terminating Ingress whose tls.hosts and certificate cover the host', () => {
    expect(
      resultFor(
        evaluate(
          terminating([EXTERNAL_HOST], [EXTERNAL_HOST], [EXTERNAL_HOST]),
        ),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('pass');
  });

  it('fails a host missing from tls.hosts', () => {
    const result = resultFor(
      evaluate(
        terminating(
          [EXTERNAL_HOST, 'other.example.com'],
          [EXTERNAL_HOST],
          [EXTERNAL_HOST, 'other.example.com'],
        ),
      ),
      rule,
      'superlink',
      AGG_NS,
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/tls.hosts does not list other.example.com/);
  });

  it('fails on a SAN mismatch and applies RFC 9525 wildcard rules', () => {
    expect(
      resultFor(
        evaluate(
          terminating([EXTERNAL_HOST], [EXTERNAL_HOST], ['fl.example.org']),
        ),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('fail');
    expect(
      resultFor(
        evaluate(
          terminating([EXTERNAL_HOST], ['*.example.com'], ['*.example.com']),
        ),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('pass');
    const deep = resultFor(
      evaluate(
        terminating(['a.fl.example.com'], ['*.example.com'], ['*.example.com']),
      ),
      rule,
      'superlink',
      AGG_NS,
    );
    expect(deep.status).toBe('fail');
    expect(
      resultFor(
        evaluate(
          terminating([EXTERNAL_HOST], [EXTERNAL_HOST], ['f*.example.com']),
        ),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('fail');
  });

  it('reports garbage PEM as error', () => {
    const result = resultFor(
      evaluate(terminating([EXTERNAL_HOST], [EXTERNAL_HOST], 'garbage')),
      rule,
      'superlink',
      AGG_NS,
    );
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/PEM block 1 is not a valid certificate/);
  });

  it('uses the Certificate spec offline when the Secret is issued at deploy time', () => {
    const objects = without(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
    );
    expect(
      resultFor(evaluate(objects), rule, 'superlink', AGG_NS).message,
    ).toMatch(/Certificate fl-agg\/superlink-tls spec/);
    const wrong = replace(
      objects,
      'Certificate',
      AGG_NS,
      'superlink-tls',
      certificate(AGG_NS, 'superlink-tls', {
        dnsNames: ['superlink.fl-agg.svc'],
      }),
    );
    expect(resultFor(evaluate(wrong), rule, 'superlink', AGG_NS).status).toBe(
      'fail',
    );
    const none = without(wrong, 'Certificate', AGG_NS, 'superlink-tls');
    expect(resultFor(evaluate(none), rule, 'superlink', AGG_NS).status).toBe(
      'skip',
    );
  });

  it('checks TLSRoute hostnames against the passthrough certificate', () => {
    const base = without(secureFederation(), 'Ingress', AGG_NS, 'superlink');
    const objects = [
      ...base,
      ...gatewayObjects({
        protocol: 'TLS',
        tls: { mode: 'Passthrough' },
        hostname: '*.example.org',
      }),
    ];
    const result = resultFor(evaluate(objects), rule, 'superlink', AGG_NS);
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /listener l hostname \*.example.org does not cover fl.example.com/,
    );
  });
});
