import {
  AGG_NS,
  EXTERNAL_HOST,
  evaluate,
  gatewayObjects,
  ingress,
  replace,
  resultFor,
  results,
  secureFederation,
  without,
} from '../__testUtils__/builders';

const rule = 'ING-01';
const backend = { service: { name: 'superlink', port: { number: 9092 } } };
const rules = [
  {
    host: EXTERNAL_HOST,
    http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
  },
];

describe('ING-01 TLS on every Ingress and route', () => {
  it('passes a passthrough Ingress', () => {
    expect(
      resultFor(evaluate(secureFederation()), rule, 'superlink', AGG_NS).status,
    ).toBe('pass');
  });

  it('fails an Ingress without tls', () => {
    const objects = replace(
      secureFederation(),
      'Ingress',
      AGG_NS,
      'superlink',
      ingress({}, { rules }),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink', AGG_NS);
    expect(result.status).toBe('fail');
    expect(result.resource.kind).toBe('Ingress');
  });

  it('passes an Ingress with a tls section', () => {
    const objects = replace(
      secureFederation(),
      'Ingress',
      AGG_NS,
      'superlink',
      ingress(
        {},
        { rules, tls: [{ hosts: [EXTERNAL_HOST], secretName: 'x' }] },
      ),
    );
    expect(resultFor(evaluate(objects), rule, 'superlink', AGG_NS).status).toBe(
      'pass',
    );
  });

  it('judges routes by their Gateway listeners', () => {
    const base = without(secureFederation(), 'Ingress', AGG_NS, 'superlink');
    const tls = evaluate([
      ...base,
      ...gatewayObjects({ protocol: 'TLS', tls: { mode: 'Passthrough' } }),
    ]);
    expect(resultFor(tls, rule, 'superlink', AGG_NS).status).toBe('pass');
    const http = evaluate([
      ...base,
      ...gatewayObjects({ protocol: 'HTTP' }, 'GRPCRoute'),
    ]);
    expect(resultFor(http, rule, 'superlink', AGG_NS).status).toBe('fail');
    const missing = evaluate([...base, gatewayObjects({})[1]]);
    expect(resultFor(missing, rule, 'superlink', AGG_NS).status).toBe('warn');
    expect(
      resultFor(
        evaluate([...base, gatewayObjects({})[1]], { cluster: 'live' }),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('error');
  });

  it('skips when nothing exposes the aggregator', () => {
    const objects = without(secureFederation(), 'Ingress', AGG_NS, 'superlink');
    expect(results(evaluate(objects), rule).map(r => r.status)).toEqual([
      'skip',
    ]);
  });

  it('reports a gap on Ingresses', () => {
    const report = evaluate(secureFederation(), {
      cluster: 'c',
      gaps: [{ kind: 'Ingress', status: 'error', reason: 'timeout' }],
    });
    expect(results(report, rule).map(r => r.status)).toContain('error');
  });
});
