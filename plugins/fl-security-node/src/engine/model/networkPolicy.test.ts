import { networkPolicy, superlink } from '../__testUtils__/builders';
import { compilePolicy, onlyDnsPorts, portsAdmit } from './networkPolicy';
import { toWorkload } from './workloads';

const compile = (spec: Record<string, unknown>) =>
  compilePolicy(networkPolicy('ns', 'p', spec));

describe('compilePolicy', () => {
  it('defaults policyTypes to Ingress, plus Egress only when egress rules exist', () => {
    expect(compile({ podSelector: {} })).toMatchObject({
      affectsIngress: true,
      affectsEgress: false,
    });
    expect(compile({ podSelector: {}, egress: [] })).toMatchObject({
      affectsIngress: true,
      affectsEgress: false,
    });
    expect(compile({ podSelector: {}, egress: [{}] })).toMatchObject({
      affectsIngress: true,
      affectsEgress: true,
    });
    // Explicit policyTypes win: ingress rules of an Egress-only policy are ignored.
    expect(
      compile({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }),
    ).toMatchObject({ affectsIngress: false, affectsEgress: true });
  });

  it('treats `ingress: [{}]` and `from: []` as allowing every source on every port', () => {
    const [rule] = compile({ podSelector: {}, ingress: [{}] }).ingress;
    expect(rule).toMatchObject({ allPeers: true, ports: 'all' });
    expect(
      compile({ podSelector: {}, ingress: [{ from: [] }] }).ingress[0].allPeers,
    ).toBe(true);
    expect(compile({ podSelector: {}, ingress: [] }).ingress).toEqual([]);
  });

  it('keeps the namespace and pod selector of one peer together', () => {
    const [rule] = compile({
      podSelector: {},
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { team: 'a' } },
              podSelector: { matchLabels: { app: 'x' } },
            },
            { podSelector: {} },
          ],
        },
      ],
    }).ingress;
    expect(rule.peers).toHaveLength(2);
    const [both, podOnly] = rule.peers as Array<
      Extract<(typeof rule.peers)[number], { type: 'selector' }>
    >;
    expect(both.namespaceSelector?.text).toBe('team=a');
    expect(both.podSelector?.text).toBe('app=x');
    expect(podOnly.namespaceSelector).toBeUndefined(); // own namespace
    expect(podOnly.podSelector?.matchesAll).toBe(true);
  });

  it('reports invalid selectors and CIDRs instead of guessing', () => {
    expect(
      compile({
        podSelector: { matchExpressions: [{ key: 'a', operator: 'Is' }] },
      }).error,
    ).toMatch(/operator/);
    const [rule] = compile({
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/40' } }, {}] }],
    }).ingress;
    expect(rule.errors).toHaveLength(2);
    expect(rule.allPeers).toBe(false);
  });
});

describe('portsAdmit', () => {
  const aggregator = toWorkload(superlink())!;

  it('matches numbers, ranges (endPort), protocols and named ports per pod', () => {
    const [rule] = compile({
      podSelector: {},
      ingress: [
        {
          ports: [
            { port: 8000, endPort: 8100 },
            { protocol: 'UDP', port: 9092 },
            { port: 'fleet' },
          ],
        },
      ],
    }).ingress;
    expect(portsAdmit(rule.ports, 8050, 'TCP', aggregator)).toBe(true);
    expect(portsAdmit(rule.ports, 8101, 'TCP', aggregator)).toBe(false);
    expect(portsAdmit(rule.ports, 9092, 'TCP', aggregator)).toBe(true); // via the named port
    expect(portsAdmit(rule.ports, 9092, 'TCP', undefined)).toBe(false); // names need the destination pod
    expect(
      portsAdmit(
        [{ protocol: 'TCP', port: 'metrics' }],
        9092,
        'TCP',
        aggregator,
      ),
    ).toBe(false);
    expect(portsAdmit([{ protocol: 'TCP' }], 1234, 'TCP')).toBe(true); // protocol only: every port
  });

  it('recognises DNS-only rules', () => {
    expect(
      onlyDnsPorts([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]),
    ).toBe(true);
    expect(onlyDnsPorts('all')).toBe(false);
    expect(onlyDnsPorts([{ protocol: 'TCP', port: 53, endPort: 443 }])).toBe(
      false,
    );
  });
});
