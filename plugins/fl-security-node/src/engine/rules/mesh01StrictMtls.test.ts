import {
  AGG_NS,
  evaluate,
  namespace,
  replace,
  resultFor,
  secureFederation,
} from '../__testUtils__/builders';
import type { KubeObject } from '../types';

const rule = 'MESH-01';
const peerAuth = (
  ns: string,
  mode: string,
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: `pa-${ns}-${mode}`, namespace: ns },
  spec: { mtls: { mode }, ...extra },
});

describe('MESH-01 mesh mTLS', () => {
  it('skips without a mesh', () => {
    expect(
      resultFor(evaluate(secureFederation()), rule, 'superlink').status,
    ).toBe('skip');
    const gap = evaluate(secureFederation(), {
      cluster: 'c',
      gaps: [
        {
          kind: 'PeerAuthentication',
          status: 'skip',
          reason: 'Istio CRDs are not installed',
        },
      ],
    });
    expect(resultFor(gap, rule, 'superlink').message).toMatch(
      /Istio CRDs are not installed/,
    );
  });

  it('fails a mesh left in the default PERMISSIVE mode', () => {
    const injected = replace(
      secureFederation(),
      'Namespace',
      undefined,
      AGG_NS,
      namespace(AGG_NS, { 'istio-injection': 'enabled' }),
    );
    expect(resultFor(evaluate(injected), rule, 'superlink').message).toMatch(
      /Istio default PERMISSIVE/,
    );
  });

  it('passes mesh-wide STRICT and lets workload and port level override it', () => {
    const strict = [...secureFederation(), peerAuth('istio-system', 'STRICT')];
    expect(resultFor(evaluate(strict), rule, 'superlink').status).toBe('pass');
    const workload = [
      ...strict,
      peerAuth(AGG_NS, 'PERMISSIVE', {
        selector: { matchLabels: { app: 'superlink' } },
      }),
    ];
    expect(resultFor(evaluate(workload), rule, 'superlink').status).toBe(
      'fail',
    );
    const port = [
      ...strict,
      peerAuth(AGG_NS, 'UNSET', {
        portLevelMtls: { 9092: { mode: 'DISABLE' } },
      }),
    ];
    expect(resultFor(evaluate(port), rule, 'superlink').message).toMatch(
      /port 9092 accepts DISABLE/,
    );
    const unset = [...strict, peerAuth(AGG_NS, 'UNSET')];
    expect(resultFor(evaluate(unset), rule, 'superlink').status).toBe('pass');
  });

  it('fails a DestinationRule that disables TLS towards the aggregator', () => {
    const rule1: KubeObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'plain', namespace: 'site-a' },
      spec: {
        host: 'superlink.fl-agg.svc.cluster.local',
        trafficPolicy: { tls: { mode: 'DISABLE' } },
      },
    };
    const result = resultFor(
      evaluate([
        ...secureFederation(),
        peerAuth('istio-system', 'STRICT'),
        rule1,
      ]),
      rule,
      'superlink',
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/DestinationRule site-a\/plain/);
    const mutual = {
      ...rule1,
      spec: {
        host: '*.fl-agg.svc.cluster.local',
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      },
    };
    expect(
      resultFor(
        evaluate([
          ...secureFederation(),
          peerAuth('istio-system', 'STRICT'),
          mutual,
        ]),
        rule,
        'superlink',
      ).status,
    ).toBe('pass');
  });
});
