import {
  AGG_NS,
  evaluate,
  networkPolicy,
  replace,
  resultFor,
  secureFederation,
  service,
  superlink,
} from '../__testUtils__/builders';

const rule = 'FL-03';

describe('FL-03 internal APIs', () => {
  it('passes when only the Fleet port is exposed', () => {
    const result = resultFor(evaluate(secureFederation()), rule, 'superlink');
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /internal Flower APIs \(9091\) are not exposed; the Control API listens on loopback only/,
    );
  });

  const tlsArgs = [
    '--ssl-ca-certfile',
    '/tls/ca.crt',
    '--ssl-certfile',
    '/tls/tls.crt',
    '--ssl-keyfile',
    '/tls/tls.key',
    '--enable-supernode-auth',
  ];

  it('fails a Flower >= 1.37 SuperLink serving the participants port itself', () => {
    // One listener carries Fleet, Control and Runtime APIs: participants could
    // register keys and start runs.
    const objects = replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({
        args: [...tlsArgs, '--host', '0.0.0.0', '--port', '9092'],
        ports: [{ name: 'fleet', containerPort: 9092, protocol: 'TCP' }],
        sidecars: [],
      }),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /serves its unauthenticated Control API on 0\.0\.0\.0:9092, the listener that carries the Fleet API \(reachable from .*site-a.*\)/,
    );
  });

  it('fails a shared listener on any non-loopback address, whatever the policies', () => {
    const objects = replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({
        image: 'flwr/superlink:1.37.0',
        args: [...tlsArgs, '--host', '::', '--port', '9555'],
      }),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/Control API on :::9555/);
  });

  it('takes Flower\'s default host (127.0.0.1) as loopback', () => {
    const objects = replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({ args: [...tlsArgs, '--port', '9091'] }),
    );
    expect(resultFor(evaluate(objects), rule, 'superlink').status).toBe('pass');
  });

  it('fails a Service exposing the loopback listener', () => {
    const objects = [
      ...replace(
        secureFederation(),
        'Deployment',
        AGG_NS,
        'superlink',
        superlink({ args: [...tlsArgs, '--host', '127.0.0.1', '--port', '9500'] }),
      ),
      service(AGG_NS, 'superlink-admin', { app: 'superlink' }, [
        { port: 443, targetPort: 9500 },
      ]),
    ];
    const result = resultFor(evaluate(objects), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/exposes internal API port 9500/);
  });

  it('fails a Service exposing ServerAppIo', () => {
    const objects = [
      ...secureFederation(),
      service(
        AGG_NS,
        'superlink-all',
        { app: 'superlink' },
        [
          { name: 'serverappio', port: 9091 },
          { name: 'fleet', port: 9092 },
        ],
        'LoadBalancer',
      ),
    ];
    const result = resultFor(evaluate(objects), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /Service fl-agg\/superlink-all port 9091 exposes internal API port 9091/,
    );
  });

  it('fails a ClientAppIo Service on a participant', () => {
    const objects = [
      ...secureFederation(),
      service('site-a', 'clientappio', { app: 'supernode' }, [
        { port: 80, targetPort: 9094 },
      ]),
    ];
    expect(
      resultFor(evaluate(objects), rule, 'supernode', 'site-a').status,
    ).toBe('fail');
  });

  it('limits the legacy Control API to the admin namespace', () => {
    const legacyArgs = [
      '--ssl-ca-certfile',
      '/tls/ca.crt',
      '--ssl-certfile',
      '/tls/tls.crt',
      '--ssl-keyfile',
      '/tls/tls.key',
      '--enable-supernode-auth',
      '--fleet-api-address',
      '0.0.0.0:9092',
    ];
    const legacy = replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({
        image: 'flwr/superlink:1.20.0',
        args: legacyArgs,
        annotations: {
          'fl-security/allowed-sources': 'namespace/ingress-nginx',
          'fl-security/admin-namespace': 'fl-admin',
        },
      }),
    );
    expect(resultFor(evaluate(legacy), rule, 'superlink').message).toMatch(
      /Control API \(9093\) is limited to namespace\/fl-admin/,
    );
    const openControl = [
      ...legacy,
      networkPolicy(AGG_NS, 'control', {
        podSelector: {},
        ingress: [
          { from: [{ namespaceSelector: {} }], ports: [{ port: 9093 }] },
        ],
      }),
    ];
    const result = resultFor(evaluate(openControl), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /Control API port 9093 is reachable from every pod in every namespace/,
    );
    const published = [
      ...legacy,
      service(
        AGG_NS,
        'control',
        { app: 'superlink' },
        [{ port: 9093 }],
        'LoadBalancer',
      ),
    ];
    expect(resultFor(evaluate(published), rule, 'superlink').message).toMatch(
      /publishes the Control API/,
    );
  });
});
