import {
  AGG_NS,
  EXTERNAL_HOST,
  certificate,
  evaluate,
  federationPki,
  ingress,
  replace,
  resultFor,
  results,
  secureFederation,
  tlsSecret,
} from '../__testUtils__/builders';
import { issueCertificate } from '../__testUtils__/certs';
import type { KubeObject } from '../types';

const rule = 'ING-04';
const backend = { service: { name: 'superlink', port: { number: 9092 } } };

function terminating(
  secret?: KubeObject,
  secretName: string | null = 'edge-tls',
  extra: KubeObject[] = [],
): KubeObject[] {
  const objects = replace(
    secureFederation(),
    'Ingress',
    AGG_NS,
    'superlink',
    ingress(
      {},
      {
        rules: [
          {
            host: EXTERNAL_HOST,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
          },
        ],
        tls: [
          { hosts: [EXTERNAL_HOST], ...(secretName ? { secretName } : {}) },
        ],
      },
    ),
  );
  return [...objects, ...(secret ? [secret] : []), ...extra];
}

function edgeCert(keyName = 'leaf') {
  const { ca } = federationPki();
  return issueCertificate({
    commonName: 'edge',
    dnsNames: [EXTERNAL_HOST],
    extendedKeyUsage: ['serverAuth'],
    issuer: ca,
    keyName,
  });
}

describe('ING-04 TLS Secret', () => {
  it('skips passthrough Ingresses (no Secret involved)', () => {
    expect(
      results(evaluate(secureFederation()), rule).map(r => r.status),
    ).toEqual(['skip']);
  });

  it('passes an existing kubernetes.io/tls Secret whose key matches', () => {
    const cert = edgeCert();
    expect(
      resultFor(
        evaluate(
          terminating(
            tlsSecret(AGG_NS, 'edge-tls', {
              crt: cert.certPem,
              key: cert.keyPem,
            }),
          ),
        ),
        rule,
        'edge-tls',
      ).status,
    ).toBe('pass');
  });

  it('fails a key that belongs to another certificate', () => {
    const cert = edgeCert();
    const other = issueCertificate({
      commonName: 'x',
      key: 'ec-p256',
      keyName: 'other-leaf',
    });
    const result = resultFor(
      evaluate(
        terminating(
          tlsSecret(AGG_NS, 'edge-tls', {
            crt: cert.certPem,
            key: other.keyPem,
          }),
        ),
      ),
      rule,
      'edge-tls',
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/does not belong/);
    expect(result.message).not.toMatch(/PRIVATE KEY/);
  });

  it('fails the wrong Secret type and a missing key', () => {
    const cert = edgeCert();
    expect(
      resultFor(
        evaluate(
          terminating(
            tlsSecret(
              AGG_NS,
              'edge-tls',
              { crt: cert.certPem, key: cert.keyPem },
              'Opaque',
            ),
          ),
        ),
        rule,
        'edge-tls',
      ).status,
    ).toBe('fail');
    expect(
      resultFor(
        evaluate(
          terminating(tlsSecret(AGG_NS, 'edge-tls', { crt: cert.certPem })),
        ),
        rule,
        'edge-tls',
      ).status,
    ).toBe('fail');
  });

  it('reports garbage PEM as error', () => {
    const result = resultFor(
      evaluate(
        terminating(
          tlsSecret(AGG_NS, 'edge-tls', { crt: 'garbage', key: 'garbage' }),
        ),
      ),
      rule,
      'edge-tls',
    );
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/tls.crt holds no PEM certificate/);
  });

  it('handles missing Secrets: skip when cert-manager issues it offline, fail live, error on 403', () => {
    const issued = terminating(undefined, 'edge-tls', [
      certificate(AGG_NS, 'edge-tls', { dnsNames: [EXTERNAL_HOST] }),
    ]);
    const offline = resultFor(evaluate(issued), rule, 'edge-tls');
    expect(offline.status).toBe('skip');
    expect(offline.message).toMatch(
      /not in the snapshot: issued at deploy time by Certificate fl-agg\/edge-tls/,
    );
    expect(resultFor(evaluate(terminating()), rule, 'edge-tls').status).toBe(
      'warn',
    );
    expect(
      resultFor(evaluate(terminating(), { cluster: 'c' }), rule, 'edge-tls')
        .status,
    ).toBe('fail');
    const forbidden = evaluate(terminating(), {
      cluster: 'c',
      gaps: [
        {
          kind: 'secrets',
          namespace: AGG_NS,
          status: 'error',
          reason: 'forbidden',
          missingPermission: 'get secrets in fl-agg',
        },
      ],
    });
    expect(resultFor(forbidden, rule, 'edge-tls')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(
        /missing permission: get secrets in fl-agg/,
      ),
    });
  });

  it('fails a tls entry without secretName (controller default certificate)', () => {
    const report = evaluate(terminating(undefined, null));
    expect(resultFor(report, rule, 'superlink', AGG_NS).status).toBe('fail');
  });
});
