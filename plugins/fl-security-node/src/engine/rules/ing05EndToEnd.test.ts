import {
  AGG_NS,
  EXTERNAL_HOST,
  deployment,
  evaluate,
  gatewayObjects,
  ingress,
  replace,
  resultFor,
  results,
  secureFederation,
  without,
} from '../__testUtils__/builders';

const rule = 'ING-05';
const backend = { service: { name: 'superlink', port: { number: 9092 } } };
const spec = {
  rules: [
    {
      host: EXTERNAL_HOST,
      http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
    },
  ],
  tls: [{ hosts: [EXTERNAL_HOST], secretName: 'edge-tls' }],
};

function withIngress(annotations: Record<string, string>) {
  return replace(
    secureFederation(),
    'Ingress',
    AGG_NS,
    'superlink',
    ingress(annotations, spec),
  );
}

describe('ING-05 end-to-end TLS', () => {
  it('passes ssl-passthrough', () => {
    expect(
      resultFor(evaluate(secureFederation()), rule, 'superlink', AGG_NS).status,
    ).toBe('pass');
  });

  it('fails an Ingress terminating TLS into plain text', () => {
    const result = resultFor(
      evaluate(
        withIngress({ 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' }),
      ),
      rule,
      'superlink',
      AGG_NS,
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/terminates TLS and forwards plain text/);
  });

  it('warns on re-encryption', () => {
    expect(
      resultFor(
        evaluate(
          withIngress({
            'nginx.ingress.kubernetes.io/backend-protocol': 'GRPCS',
          }),
        ),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('warn');
  });

  it('warns when the ingress-nginx controller in the snapshot ignores passthrough', () => {
    const controller = deployment({
      name: 'ingress-nginx-controller',
      namespace: 'ingress-nginx',
      image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0',
      args: ['/nginx-ingress-controller', '--publish-service=x'],
    });
    const result = resultFor(
      evaluate([...secureFederation(), controller]),
      rule,
      'superlink',
      AGG_NS,
    );
    expect(result.status).toBe('warn');
    expect(result.message).toMatch(/without --enable-ssl-passthrough/);
    const enabled = deployment({
      name: 'ingress-nginx-controller',
      namespace: 'ingress-nginx',
      image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0',
      args: ['/nginx-ingress-controller', '--enable-ssl-passthrough'],
    });
    expect(
      resultFor(
        evaluate([...secureFederation(), enabled]),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('pass');
  });

  it('judges Gateway API routes by listener TLS mode', () => {
    const base = without(secureFederation(), 'Ingress', AGG_NS, 'superlink');
    expect(
      resultFor(
        evaluate([
          ...base,
          ...gatewayObjects({ protocol: 'TLS', tls: { mode: 'Passthrough' } }),
        ]),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('pass');
    expect(
      resultFor(
        evaluate([
          ...base,
          ...gatewayObjects({
            protocol: 'TLS',
            tls: { mode: 'Terminate', certificateRefs: [{ name: 'c' }] },
          }),
        ]),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('fail');
    expect(
      resultFor(
        evaluate([
          ...base,
          ...gatewayObjects(
            { protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'c' }] } },
            'GRPCRoute',
          ),
        ]),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('fail');
    const backendTls = {
      apiVersion: 'gateway.networking.k8s.io/v1alpha3',
      kind: 'BackendTLSPolicy',
      metadata: { name: 'b', namespace: AGG_NS },
      spec: { targetRefs: [{ kind: 'Service', name: 'superlink' }] },
    };
    expect(
      resultFor(
        evaluate([
          ...base,
          backendTls,
          ...gatewayObjects(
            { protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'c' }] } },
            'GRPCRoute',
          ),
        ]),
        rule,
        'superlink',
        AGG_NS,
      ).status,
    ).toBe('warn');
  });

  it('skips when the federation is only reached in-cluster', () => {
    expect(
      results(
        evaluate(without(secureFederation(), 'Ingress', AGG_NS, 'superlink')),
        rule,
      ).map(r => r.status),
    ).toEqual(['skip']);
  });
});
