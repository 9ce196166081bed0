import {
  AGG_NS,
  evaluate,
  namespace,
  replace,
  resultFor,
  secureFederation,
  superlink,
  supernode,
} from '../__testUtils__/builders';
import type { KubeObject } from '../types';

const rule = 'FL-02';
const tlsArgs = [
  '--ssl-ca-certfile',
  '/tls/ca.crt',
  '--ssl-certfile',
  '/tls/tls.crt',
  '--ssl-keyfile',
  '/tls/tls.key',
  '--port',
  '9092',
];
const noAuth = () =>
  replace(
    secureFederation(),
    'Deployment',
    AGG_NS,
    'superlink',
    superlink({ args: tlsArgs }),
  );
const strict: KubeObject = {
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'default', namespace: 'istio-system' },
  spec: { mtls: { mode: 'STRICT' } },
};

describe('FL-02 participant authentication', () => {
  it('passes Flower node authentication on both sides', () => {
    const report = evaluate(secureFederation());
    expect(resultFor(report, rule, 'superlink').status).toBe('pass');
    expect(resultFor(report, rule, 'supernode', 'site-a').status).toBe('pass');
  });

  it('fails a SuperLink without --enable-supernode-auth', () => {
    expect(resultFor(evaluate(noAuth()), rule, 'superlink').status).toBe(
      'fail',
    );
    // The SuperNode still signs, but nobody checks.
    expect(
      resultFor(evaluate(noAuth()), rule, 'supernode', 'site-a').status,
    ).toBe('warn');
  });

  it('fails a SuperNode without its private key', () => {
    const objects = replace(
      secureFederation(),
      'Deployment',
      'site-a',
      'supernode',
      supernode('site-a', {
        args: [
          '--superlink',
          'superlink.fl-agg.svc:9092',
          '--root-certificates',
          '/ca/ca.crt',
        ],
      }),
    );
    expect(
      resultFor(evaluate(objects), rule, 'supernode', 'site-a').status,
    ).toBe('fail');
  });

  it('fails node authentication combined with --insecure', () => {
    const objects = replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({ args: ['--insecure', '--enable-supernode-auth'] }),
    );
    expect(resultFor(evaluate(objects), rule, 'superlink').message).toMatch(
      /requires TLS/,
    );
  });

  it('accepts STRICT mesh mTLS instead of Flower node authentication', () => {
    const objects = [...noAuth(), strict];
    expect(resultFor(evaluate(objects), rule, 'superlink').status).toBe('pass');
    const permissive = [
      ...noAuth(),
      { ...strict, spec: { mtls: { mode: 'PERMISSIVE' } } },
      namespace('istio-system'),
    ];
    expect(resultFor(evaluate(permissive), rule, 'superlink').status).toBe(
      'fail',
    );
  });
});
