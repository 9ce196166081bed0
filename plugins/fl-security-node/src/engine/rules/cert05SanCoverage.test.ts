import {
  AGG_NS,
  EXTERNAL_HOST,
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
import { issueCertificate } from '../__testUtils__/certs';
import type { KubeObject } from '../types';

const rule = 'CERT-05';

function withServerNames(
  dnsNames: string[],
  ipAddresses: string[] = [],
  objects: KubeObject[] = secureFederation(),
) {
  const { ca } = federationPki();
  const cert = issueCertificate({
    commonName: 'superlink',
    dnsNames,
    ipAddresses,
    extendedKeyUsage: ['serverAuth'],
    issuer: ca,
  });
  return evaluate(
    replace(
      objects,
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

describe('CERT-05 SAN coverage', () => {
  it('passes when the certificate names every dialled name', () => {
    const result = resultFor(evaluate(secureFederation()), rule, 'superlink');
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /fl.example.com, superlink.fl-agg.svc, superlink.fl-agg.svc.cluster.local/,
    );
  });

  it('fails when the name participants dial is missing', () => {
    const result = resultFor(
      withServerNames([EXTERNAL_HOST, 'superlink.fl-agg.svc.cluster.local']),
      rule,
      'superlink',
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /does not cover superlink.fl-agg.svc \(dialled by site-a\/supernode\)/,
    );
  });

  it('fails when the external passthrough host is missing', () => {
    expect(
      resultFor(
        withServerNames([
          'superlink.fl-agg.svc',
          'superlink.fl-agg.svc.cluster.local',
        ]),
        rule,
        'superlink',
      ).message,
    ).toMatch(/fl.example.com \(external host/);
  });

  it('warns when only an undialled Service name is missing', () => {
    const result = resultFor(
      withServerNames([EXTERNAL_HOST, 'superlink.fl-agg.svc']),
      rule,
      'superlink',
    );
    expect(result.status).toBe('warn');
    expect(result.message).toMatch(/superlink.fl-agg.svc.cluster.local/);
  });

  it('fails a CN-only certificate', () => {
    const result = resultFor(withServerNames([]), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/no subjectAltName \(CN=superlink only\)/);
  });

  it('checks IP addresses against IP SANs', () => {
    const dialIp = replace(
      secureFederation(),
      'Deployment',
      'site-a',
      'supernode',
      supernode('site-a', {
        args: [
          '--superlink',
          '10.0.0.5:9092',
          '--root-certificates',
          '/ca/ca.crt',
          '--auth-supernode-private-key',
          '/auth/private-key',
        ],
      }),
    );
    expect(
      resultFor(
        withServerNames(
          [
            EXTERNAL_HOST,
            'superlink.fl-agg.svc',
            'superlink.fl-agg.svc.cluster.local',
          ],
          ['10.0.0.5'],
          dialIp,
        ),
        rule,
        'superlink',
      ).status,
    ).toBe('pass');
    expect(
      resultFor(
        withServerNames(
          [
            EXTERNAL_HOST,
            'superlink.fl-agg.svc',
            'superlink.fl-agg.svc.cluster.local',
            '10.0.0.5',
          ],
          [],
          dialIp,
        ),
        rule,
        'superlink',
      ).status,
    ).toBe('fail');
  });

  it('checks Certificate spec dnsNames offline', () => {
    const objects = without(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
    );
    const narrow = replace(
      objects,
      'Certificate',
      AGG_NS,
      'superlink-tls',
      certificate(AGG_NS, 'superlink-tls', {
        commonName: 'superlink.fl-agg.svc',
      }),
    );
    expect(resultFor(evaluate(narrow), rule, 'superlink')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/CN=superlink.fl-agg.svc only/),
    });
    expect(resultFor(evaluate(objects), rule, 'superlink').status).toBe('pass');
  });
});
