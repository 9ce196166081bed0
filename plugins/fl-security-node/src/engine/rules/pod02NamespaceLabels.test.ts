import {
  AGG_NS,
  evaluate,
  namespace,
  replace,
  resultFor,
  secureFederation,
  without,
} from '../__testUtils__/builders';

const rule = 'POD-02';

describe('POD-02 namespace Pod Security labels', () => {
  it('passes restricted namespaces', () => {
    expect(resultFor(evaluate(secureFederation()), rule, AGG_NS).status).toBe(
      'pass',
    );
  });

  it('warns on baseline, fails on privileged or missing labels', () => {
    const level = (labels: Record<string, string>) => {
      const ns = namespace(AGG_NS);
      ns.metadata.labels = labels;
      return resultFor(
        evaluate(
          replace(secureFederation(), 'Namespace', undefined, AGG_NS, ns),
        ),
        rule,
        AGG_NS,
      ).status;
    };
    expect(level({ 'pod-security.kubernetes.io/enforce': 'baseline' })).toBe(
      'warn',
    );
    expect(level({ 'pod-security.kubernetes.io/enforce': 'privileged' })).toBe(
      'fail',
    );
    expect(level({ 'pod-security.kubernetes.io/warn': 'restricted' })).toBe(
      'fail',
    );
  });

  it('warns offline and errors live when the Namespace object is absent', () => {
    const objects = without(secureFederation(), 'Namespace', undefined, AGG_NS);
    expect(resultFor(evaluate(objects), rule, AGG_NS).status).toBe('warn');
    expect(
      resultFor(evaluate(objects, { cluster: 'c' }), rule, AGG_NS).status,
    ).toBe('error');
    const gap = evaluate(objects, {
      cluster: 'c',
      gaps: [
        {
          kind: 'namespaces',
          status: 'error',
          reason: 'forbidden',
          missingPermission: 'get namespaces',
        },
      ],
    });
    expect(resultFor(gap, rule, AGG_NS).message).toMatch(
      /missing permission: get namespaces/,
    );
  });
});
