import {
  AGG_NS,
  evaluate,
  gatewayObjects,
  ingress,
  replace,
  resultFor,
  secureFederation,
  without,
} from '../__testUtils__/builders';

const rule = 'ING-03';
const backend = { service: { name: 'superlink', port: { number: 9092 } } };

describe('ING-03 explicit hosts', () => {
  it('passes explicit hosts', () => {
    expect(
      resultFor(evaluate(secureFederation()), rule, 'superlink', AGG_NS).status,
    ).toBe('pass');
  });

  it.each([
    [
      'a rule without host',
      {
        rules: [
          { http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } },
        ],
      },
      /without host/,
    ],
    ['a default backend', { defaultBackend: backend }, /without host/],
    [
      'a wildcard host',
      {
        rules: [
          {
            host: '*.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
          },
        ],
      },
      /wildcard host\(s\) \*.example.com/,
    ],
  ])('fails %s', (_name, spec, message) => {
    const objects = replace(
      secureFederation(),
      'Ingress',
      AGG_NS,
      'superlink',
      ingress({ 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' }, spec),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink', AGG_NS);
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(message);
  });

  it('fails routes without hostnames or with wildcards', () => {
    const base = without(secureFederation(), 'Ingress', AGG_NS, 'superlink');
    const [gateway, route] = gatewayObjects({
      protocol: 'TLS',
      tls: { mode: 'Passthrough' },
    });
    const noHost = {
      ...route,
      spec: { ...(route.spec as object), hostnames: [] },
    };
    expect(
      resultFor(evaluate([...base, gateway, noHost]), rule, 'superlink', AGG_NS)
        .status,
    ).toBe('fail');
    const wildcard = {
      ...route,
      spec: { ...(route.spec as object), hostnames: ['*.example.com'] },
    };
    expect(
      resultFor(
        evaluate([...base, gateway, wildcard]),
        rule,
        'superlink',
        AGG_NS,
      ).message,
    ).toMatch(/wildcard hostname/);
    expect(
      resultFor(evaluate([...base, gateway, route]), rule, 'superlink', AGG_NS)
        .status,
    ).toBe('pass');
  });
});
