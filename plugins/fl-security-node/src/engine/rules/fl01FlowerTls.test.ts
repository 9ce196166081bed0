import {
  AGG_NS,
  deployment,
  evaluate,
  replace,
  resultFor,
  secureFederation,
  superlink,
  supernode,
} from '../__testUtils__/builders';

const rule = 'FL-01';
const tlsArgs = [
  '--ssl-ca-certfile',
  '/tls/ca.crt',
  '--ssl-certfile',
  '/tls/tls.crt',
  '--ssl-keyfile',
  '/tls/tls.key',
];

function withAggregator(
  args: string[],
  extra: Partial<Parameters<typeof superlink>[0]> = {},
) {
  return evaluate(
    replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({ args, ...extra }),
    ),
  );
}

function withParticipant(args: string[]) {
  return evaluate(
    replace(
      secureFederation(),
      'Deployment',
      'site-a',
      'supernode',
      supernode('site-a', { args }),
    ),
  );
}

describe('FL-01 Flower TLS', () => {
  it('passes a SuperLink serving TLS and SuperNodes verifying it', () => {
    const report = evaluate(secureFederation());
    expect(resultFor(report, rule, 'superlink').status).toBe('pass');
    expect(resultFor(report, rule, 'supernode', 'site-a').message).toMatch(
      /--root-certificates from ConfigMap fl-ca/,
    );
  });

  it('fails --insecure on either side', () => {
    expect(
      resultFor(
        withAggregator(['--insecure', '--enable-supernode-auth']),
        rule,
        'superlink',
      ).message,
    ).toMatch(/--insecure: the Fleet API is plain text/);
    expect(
      resultFor(
        withParticipant([
          '--insecure',
          '--superlink',
          'superlink.fl-agg.svc:9092',
        ]),
        rule,
        'supernode',
        'site-a',
      ).status,
    ).toBe('fail');
  });

  it('fails --insecure even with certificate flags (Flower ignores them)', () => {
    expect(
      resultFor(withAggregator([...tlsArgs, '--insecure']), rule, 'superlink')
        .status,
    ).toBe('fail');
  });

  it('fails a SuperLink missing one of the --ssl-* flags', () => {
    const result = resultFor(
      withAggregator(tlsArgs.slice(2)),
      rule,
      'superlink',
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/without --ssl-ca-certfile/);
  });

  it('warns when certificate files are not mounted from a Secret', () => {
    expect(
      resultFor(
        withAggregator(tlsArgs, { volumeMounts: [] }),
        rule,
        'superlink',
      ).status,
    ).toBe('warn');
  });

  it('accepts the system trust store on SuperNodes', () => {
    expect(
      resultFor(
        withParticipant(['--superlink', 'fl.example.com:443']),
        rule,
        'supernode',
        'site-a',
      ).message,
    ).toMatch(/system trust store/);
  });

  it('reads public-tutorial style manifests (--insecure through sh -c, image entrypoint)', () => {
    const tutorial = [
      deployment({
        name: 'superlink',
        namespace: 'flwr',
        image: 'flwr/superlink:1.20.0',
        args: ['--insecure'],
      }),
      deployment({
        name: 'supernode',
        namespace: 'flwr',
        image: 'python:3.11',
        command: ['/bin/sh', '-c'],
        args: ['flower-supernode --insecure --superlink superlink:9092'],
      }),
    ];
    const report = evaluate(
      tutorial.map(o => ({
        ...o,
        metadata: {
          ...o.metadata,
          labels: { 'backstage.io/kubernetes-id': 'fed' },
        },
      })),
    );
    expect(
      report.results.filter(r => r.ruleId === rule).map(r => r.status),
    ).toEqual(['fail', 'fail']);
  });

  it('reports error for a labelled workload without a Flower process', () => {
    const objects = replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      superlink({
        image: 'example/custom-server:1',
        command: ['python', 'server.py'],
        args: [],
      }),
    );
    expect(resultFor(evaluate(objects), rule, 'superlink').status).toBe(
      'error',
    );
  });
});
