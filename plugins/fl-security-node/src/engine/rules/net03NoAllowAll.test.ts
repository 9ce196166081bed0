import {
  evaluate,
  networkPolicy,
  resultFor,
  results,
  secureFederation,
} from '../__testUtils__/builders';

const rule = 'NET-03';
const participant = { matchLabels: { 'fl-security/role': 'participant' } };

function withPolicy(spec: Record<string, unknown>, ns = 'fl-agg') {
  return evaluate([...secureFederation(), networkPolicy(ns, 'extra', spec)]);
}

describe('NET-03 no allow-all peers', () => {
  it('passes the precise policies of the secure federation', () => {
    const report = evaluate(secureFederation());
    expect(results(report, rule).length).toBeGreaterThan(0);
    expect(results(report, rule).every(r => r.status === 'pass')).toBe(true);
  });

  it.each([
    [
      'an ingress rule without from',
      { podSelector: {}, ingress: [{ ports: [{ port: 9092 }] }] },
      /ingress rule 1 has no from peers/,
    ],
    [
      'an empty from',
      { podSelector: {}, ingress: [{ from: [] }] },
      /allows every source/,
    ],
    [
      'namespaceSelector: {} alone',
      { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] },
      /namespaceSelector: \{\} \(every pod in every namespace\)/,
    ],
    [
      'namespaceSelector: {} with podSelector: {}',
      {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }] }],
      },
      /every pod in every namespace/,
    ],
    [
      '0.0.0.0/0',
      {
        podSelector: {},
        ingress: [
          {
            from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
          },
        ],
      },
      /ipBlock 0.0.0.0\/0/,
    ],
    [
      '::/0 egress',
      {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '::/0' } }] }],
      },
      /egress rule 1 allows ipBlock ::\/0/,
    ],
  ])('fails on %s', (_name, spec, message) => {
    const result = resultFor(withPolicy(spec), rule, 'extra');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(message);
  });

  it('accepts a namespaceSelector: {} narrowed by a podSelector', () => {
    const spec = {
      podSelector: {},
      ingress: [
        { from: [{ namespaceSelector: {}, podSelector: participant }] },
      ],
    };
    expect(resultFor(withPolicy(spec), rule, 'extra').status).toBe('pass');
  });

  it('tolerates DNS egress to in-cluster pods and warns on DNS to anywhere', () => {
    const inCluster = {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: {} }],
          ports: [{ protocol: 'UDP', port: 53 }],
        },
      ],
    };
    expect(resultFor(withPolicy(inCluster), rule, 'extra').status).toBe('pass');
    const anywhere = {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
    };
    const result = resultFor(withPolicy(anywhere), rule, 'extra');
    expect(result.status).toBe('warn');
    expect(result.message).toMatch(/DNS to any destination/);
  });

  it('ignores rules of a direction the policy does not govern', () => {
    const spec = {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: participant }] }],
      egress: [{}],
    };
    expect(resultFor(withPolicy(spec), rule, 'extra').status).toBe('pass');
  });

  it('only judges policies that select FL pods', () => {
    const spec = {
      podSelector: { matchLabels: { app: 'dashboard' } },
      ingress: [{}],
    };
    expect(
      results(withPolicy(spec), rule).find(r => r.resource.name === 'extra'),
    ).toBeUndefined();
  });
});
