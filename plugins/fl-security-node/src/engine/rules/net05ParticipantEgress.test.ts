import {
  evaluate,
  networkPolicy,
  replace,
  resultFor,
  secureFederation,
  supernode,
  without,
} from '../__testUtils__/builders';
import type { KubeObject } from '../types';

const rule = 'NET-05';

function withEgress(to: unknown[], ports?: unknown[]): KubeObject[] {
  return [
    ...secureFederation(),
    networkPolicy('site-a', 'extra', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to, ...(ports ? { ports } : {}) }],
    }),
  ];
}

describe('NET-05 participant egress', () => {
  it('passes when egress is limited to the aggregator and DNS', () => {
    const result = resultFor(
      evaluate(secureFederation()),
      rule,
      'supernode',
      'site-a',
    );
    expect(result.status).toBe('pass');
  });

  it('fails when nothing restricts participant egress', () => {
    let objects = secureFederation();
    for (const name of ['default-deny', 'allow-dns', 'allow-fleet-egress'])
      objects = without(objects, 'NetworkPolicy', 'site-a', name);
    expect(
      resultFor(evaluate(objects), rule, 'supernode', 'site-a').status,
    ).toBe('fail');
  });

  it.each([
    ['any destination', [] as unknown[], /any destination/],
    [
      'another participant',
      [
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'site-b' },
          },
          podSelector: {},
        },
      ],
      /every pod of namespace site-b/,
    ],
    [
      'every namespace',
      [{ namespaceSelector: {} }],
      /every pod in every namespace/,
    ],
    [
      'the internet',
      [{ ipBlock: { cidr: '0.0.0.0/0' } }],
      /every address 0.0.0.0\/0/,
    ],
  ])('fails on egress to %s', (_name, to, message) => {
    const result = resultFor(
      evaluate(withEgress(to)),
      rule,
      'supernode',
      'site-a',
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(message);
  });

  it('warns on a narrow CIDR it cannot attribute, and passes it once declared', () => {
    const objects = withEgress(
      [{ ipBlock: { cidr: '10.20.0.0/16' } }],
      [{ port: 8200 }],
    );
    expect(
      resultFor(evaluate(objects), rule, 'supernode', 'site-a').status,
    ).toBe('warn');
    const declared = replace(
      objects,
      'Deployment',
      'site-a',
      'supernode',
      supernode('site-a', {
        annotations: {
          'fl-security/allowed-egress': 'namespace/vault,10.0.0.0/8',
        },
      }),
    );
    expect(
      resultFor(evaluate(declared), rule, 'supernode', 'site-a').status,
    ).toBe('pass');
  });

  it('accepts DNS-only rules to any destination and declared namespaces', () => {
    const dns = withEgress([], [{ protocol: 'UDP', port: 53 }]);
    expect(resultFor(evaluate(dns), rule, 'supernode', 'site-a').status).toBe(
      'pass',
    );
    const vault = replace(
      withEgress([
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'vault' },
          },
        },
      ]),
      'Deployment',
      'site-a',
      'supernode',
      supernode('site-a', {
        annotations: { 'fl-security/allowed-egress': 'namespace/vault' },
      }),
    );
    expect(resultFor(evaluate(vault), rule, 'supernode', 'site-a').status).toBe(
      'pass',
    );
  });

  it('allows the mesh control plane only when a mesh is in use', () => {
    const istiod = [
      {
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' },
        },
        podSelector: { matchLabels: { app: 'istiod' } },
      },
    ];
    expect(
      resultFor(evaluate(withEgress(istiod)), rule, 'supernode', 'site-a')
        .status,
    ).toBe('fail');
    const meshed = [
      ...withEgress(istiod),
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: 'istio-system' },
        spec: { mtls: { mode: 'STRICT' } },
      },
    ];
    expect(
      resultFor(evaluate(meshed), rule, 'supernode', 'site-a').status,
    ).toBe('pass');
  });
});
