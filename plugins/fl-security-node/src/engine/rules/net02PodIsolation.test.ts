import {
  evaluate,
  networkPolicy,
  replace,
  resultFor,
  secureFederation,
  without,
} from '../__testUtils__/builders';

const rule = 'NET-02';

function onlyPolicies(
  site: string,
  ...policies: ReturnType<typeof networkPolicy>[]
) {
  let objects = secureFederation();
  for (const name of ['default-deny', 'allow-dns', 'allow-fleet-egress'])
    objects = without(objects, 'NetworkPolicy', site, name);
  return [...objects, ...policies];
}

describe('NET-02 pod isolation', () => {
  it('passes when ingress and egress policies select the pod', () => {
    expect(
      resultFor(evaluate(secureFederation()), rule, 'supernode', 'site-a')
        .status,
    ).toBe('pass');
  });

  it('fails when no policy selects the pod for ingress', () => {
    const objects = onlyPolicies(
      'site-a',
      networkPolicy('site-a', 'egress-only', {
        podSelector: {},
        policyTypes: ['Egress'],
      }),
    );
    expect(
      resultFor(evaluate(objects), rule, 'supernode', 'site-a').status,
    ).toBe('fail');
  });

  it('warns when the pod is isolated for ingress only (policyTypes defaulted)', () => {
    const objects = onlyPolicies(
      'site-a',
      networkPolicy('site-a', 'ingress', { podSelector: {}, ingress: [] }),
    );
    expect(
      resultFor(evaluate(objects), rule, 'supernode', 'site-a').status,
    ).toBe('warn');
  });

  it('follows selector semantics: a non-matching selector isolates nothing', () => {
    const objects = onlyPolicies(
      'site-a',
      networkPolicy('site-a', 'wrong', {
        podSelector: { matchLabels: { app: 'other' } },
        policyTypes: ['Ingress', 'Egress'],
      }),
      networkPolicy('site-a', 'notin', {
        podSelector: {
          matchExpressions: [
            {
              key: 'fl-security/role',
              operator: 'NotIn',
              values: ['participant'],
            },
          ],
        },
        policyTypes: ['Ingress', 'Egress'],
      }),
    );
    expect(
      resultFor(evaluate(objects), rule, 'supernode', 'site-a').status,
    ).toBe('fail');
    const exists = onlyPolicies(
      'site-a',
      networkPolicy('site-a', 'exists', {
        podSelector: {
          matchExpressions: [
            { key: 'fl-security/participant', operator: 'Exists' },
          ],
        },
        policyTypes: ['Ingress', 'Egress'],
      }),
    );
    expect(
      resultFor(evaluate(exists), rule, 'supernode', 'site-a').status,
    ).toBe('pass');
  });

  it('ignores policies of other namespaces', () => {
    const objects = onlyPolicies(
      'site-a',
      networkPolicy('site-b', 'elsewhere', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
      }),
    );
    expect(
      resultFor(evaluate(objects), rule, 'supernode', 'site-a').status,
    ).toBe('fail');
  });

  it('reports error, not fail, when an invalid selector might isolate the pod', () => {
    const objects = onlyPolicies(
      'site-a',
      networkPolicy('site-a', 'broken', {
        podSelector: { matchExpressions: [{ key: 'a', operator: 'Like' }] },
        policyTypes: ['Ingress'],
      }),
    );
    const result = resultFor(evaluate(objects), rule, 'supernode', 'site-a');
    expect(result.status).toBe('error');
    expect(result.message).toMatch(
      /site-a\/broken \(podSelector: unknown selector operator "Like"\)/,
    );
  });

  it('checks every FL pod, including the aggregator', () => {
    const objects = replace(
      secureFederation(),
      'NetworkPolicy',
      'fl-agg',
      'default-deny',
      networkPolicy('fl-agg', 'default-deny', {
        podSelector: { matchLabels: { app: 'nothing' } },
        policyTypes: ['Ingress', 'Egress'],
      }),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink');
    // allow-fleet still isolates ingress; egress is only by allow-dns (podSelector: {}).
    expect(result.status).toBe('pass');
    const noIngress = without(
      without(objects, 'NetworkPolicy', 'fl-agg', 'allow-fleet'),
      'NetworkPolicy',
      'fl-agg',
      'allow-dns',
    );
    expect(resultFor(evaluate(noIngress), rule, 'superlink').status).toBe(
      'fail',
    );
  });
});
