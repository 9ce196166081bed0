import {
  AGG_NS,
  aggregatorIngressPolicy,
  deployment,
  evaluate,
  fleetGateway,
  namespace,
  networkPolicy,
  participantPeer,
  replace,
  resultFor,
  secureFederation,
  superlink,
  without,
} from '../__testUtils__/builders';
import type { KubeObject } from '../types';

const rule = 'NET-04';

function withIngress(
  from: unknown[],
  ports: unknown[] = [{ protocol: 'TCP', port: 9092 }],
): KubeObject[] {
  return replace(
    secureFederation(),
    'NetworkPolicy',
    AGG_NS,
    'allow-fleet',
    networkPolicy(AGG_NS, 'allow-fleet', {
      podSelector: { matchLabels: { 'fl-security/role': 'aggregator' } },
      policyTypes: ['Ingress'],
      ingress: [{ from, ports }],
    }),
  );
}

const monitoring = [
  namespace('monitoring', { team: 'ops' }),
  deployment({
    name: 'prometheus',
    namespace: 'monitoring',
    image: 'prom/prometheus',
    labels: { 'fl-security/role': 'participant' },
  }),
];

function sources(objects: KubeObject[], options = {}) {
  return evaluate(objects, options)
    .reachability.map(
      e => `${e.source.label}${e.expected ? '' : ' (unexpected)'}`,
    )
    .sort();
}

describe('NET-04 reachability', () => {
  it('passes when only participants and declared sources reach the FL port', () => {
    const result = resultFor(evaluate(secureFederation()), rule, 'superlink');
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /2 participant workload\(s\), namespace\/ingress-nginx, 203.0.113.0\/24/,
    );
  });

  it('fails when no policy isolates the aggregator: any source', () => {
    let objects = without(
      secureFederation(),
      'NetworkPolicy',
      AGG_NS,
      'allow-fleet',
    );
    objects = without(objects, 'NetworkPolicy', AGG_NS, 'default-deny');
    const result = resultFor(evaluate(objects), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /any source \(no NetworkPolicy isolates ingress\)/,
    );
  });

  it('ANDs namespaceSelector and podSelector inside one peer', () => {
    // Participant-labelled pods in another namespace are not admitted by the site peers.
    const objects = [...secureFederation(), ...monitoring];
    expect(resultFor(evaluate(objects), rule, 'superlink').status).toBe('pass');
    expect(sources(objects)).not.toContain(
      'deployment/monitoring/prometheus (unexpected)',
    );
  });

  it('ORs separate peers: a lone podSelector peer means the same namespace', () => {
    const objects = [
      ...withIngress([
        participantPeer('site-a'),
        { podSelector: { matchLabels: { 'fl-security/role': 'participant' } } },
      ]),
      ...monitoring,
    ];
    // The second peer selects participant pods in fl-agg only: none exist.
    expect(sources(objects)).toEqual(['participants/site-a/supernode']);
  });

  it('names the extra source when a podSelector spans every namespace', () => {
    const objects = [
      ...withIngress([
        {
          namespaceSelector: {},
          podSelector: { matchLabels: { 'fl-security/role': 'participant' } },
        },
      ]),
      ...monitoring,
    ];
    const result = resultFor(evaluate(objects), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /deployment\/monitoring\/prometheus \(via fl-agg\/allow-fleet\)/,
    );
    expect(sources(objects)).toEqual([
      'deployment/monitoring/prometheus (unexpected)',
      'participants/site-a/supernode',
      'participants/site-b/supernode',
      // No workload of cert-manager is in the snapshot: any pod there may carry the label.
      'pods matching fl-security/role=participant in namespace/cert-manager (unexpected)',
    ]);
  });

  it('evaluates matchExpressions on namespace labels', () => {
    const objects = [
      ...withIngress([
        {
          namespaceSelector: {
            matchExpressions: [
              { key: 'team', operator: 'NotIn', values: ['ops'] },
            ],
          },
        },
      ]),
      ...monitoring,
    ];
    // Every namespace without team=ops, as whole namespaces.
    expect(sources(objects, { cluster: 'live' })).toEqual([
      'namespace/cert-manager (unexpected)',
      'namespace/fl-agg (unexpected)',
      'namespace/site-a (unexpected)',
      'namespace/site-b (unexpected)',
    ]);
  });

  it('treats namespaces outside the manifests as possible sources offline only', () => {
    const objects = withIngress([
      { namespaceSelector: { matchLabels: { team: 'partners' } } },
    ]);
    expect(sources(objects)).toEqual([
      'namespaces matching team=partners outside the snapshot (unexpected)',
    ]);
    expect(sources(objects, { cluster: 'live' })).toEqual([]);
  });

  it('flags 0.0.0.0/0 and undeclared CIDRs, accepts CIDRs inside declared ones', () => {
    const objects = withIngress([
      { ipBlock: { cidr: '203.0.113.128/25' } },
      { ipBlock: { cidr: '0.0.0.0/0' } },
      { ipBlock: { cidr: '198.51.100.0/24' } },
    ]);
    expect(sources(objects)).toEqual([
      '0.0.0.0/0 (unexpected)',
      '198.51.100.0/24 (unexpected)',
      '203.0.113.128/25',
    ]);
  });

  it('only counts rules whose ports admit the FL port (named ports resolved on the pod)', () => {
    const otherPort = withIngress(
      [{ namespaceSelector: {} }],
      [{ protocol: 'TCP', port: 9093 }],
    );
    expect(sources(otherPort)).toEqual([]);
    expect(resultFor(evaluate(otherPort), rule, 'superlink').status).toBe(
      'warn',
    ); // nobody, not even participants
    const named = withIngress(
      [{ namespaceSelector: {} }],
      [{ protocol: 'TCP', port: 'fleet' }],
    );
    expect(sources(named)).toEqual([
      'every pod in every namespace (unexpected)',
    ]);
    const range = withIngress(
      [{ namespaceSelector: {} }],
      [{ protocol: 'TCP', port: 9000, endPort: 9100 }],
    );
    expect(sources(range)).toEqual([
      'every pod in every namespace (unexpected)',
    ]);
    const udp = withIngress(
      [{ namespaceSelector: {} }],
      [{ protocol: 'UDP', port: 9092 }],
    );
    expect(sources(udp)).toEqual([]);
  });

  it('takes the FL port from the gateway in front of a loopback SuperLink', () => {
    const result = resultFor(evaluate(secureFederation()), rule, 'superlink');
    expect(result.message).toMatch(/port 9092 of Deployment fl-agg\/superlink/);
    const closed = replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({ sidecars: [fleetGateway(9443)] }),
    );
    // The generated policy opens 9092, not the gateway's 9443.
    expect(resultFor(evaluate(closed), rule, 'superlink').message).toMatch(
      /port 9443/,
    );
  });

  it('takes the FL port from the Flower flags', () => {
    const objects = replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({
        args: [
          '--ssl-ca-certfile',
          '/tls/ca.crt',
          '--ssl-certfile',
          '/tls/tls.crt',
          '--ssl-keyfile',
          '/tls/tls.key',
          '--host',
          '0.0.0.0',
          '--port',
          '8443',
        ],
        sidecars: [],
      }),
    );
    const result = resultFor(evaluate(objects), rule, 'superlink');
    expect(result.message).toMatch(/port 8443/);
    expect(result.status).toBe('warn'); // the policy opens 9092 only
  });

  it('reports error for a peer it cannot evaluate', () => {
    const objects = withIngress([
      participantPeer('site-a'),
      { podSelector: { matchExpressions: [{ key: 'x', operator: 'Has' }] } },
    ]);
    const result = resultFor(evaluate(objects), rule, 'superlink');
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/unknown selector operator/);
  });

  it('fails when the aggregator policy admits a whole participant namespace', () => {
    const objects = withIngress([
      {
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'site-a' },
        },
      },
    ]);
    expect(resultFor(evaluate(objects), rule, 'superlink').message).toMatch(
      /namespace\/site-a/,
    );
  });

  it('keeps the default generator-style policy linear in participants', () => {
    const sites = Array.from({ length: 300 }, (_, i) => `s${i}`);
    const objects = [
      ...replace(
        secureFederation(),
        'NetworkPolicy',
        AGG_NS,
        'allow-fleet',
        aggregatorIngressPolicy(sites),
      ),
      ...sites.map(s =>
        deployment({
          name: 'supernode',
          namespace: s,
          image: 'flwr/supernode:1.42.0',
          labels: {
            'backstage.io/kubernetes-id': 'fed',
            'fl-security/role': 'participant',
          },
        }),
      ),
    ];
    const report = evaluate(objects);
    expect(
      report.reachability.filter(e => e.source.type === 'participant'),
    ).toHaveLength(300);
    expect(resultFor(report, rule, 'superlink').status).toBe('pass');
  });
});
