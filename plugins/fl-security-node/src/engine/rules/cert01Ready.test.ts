import {
  AGG_NS,
  certificate,
  evaluate,
  replace,
  resultFor,
  results,
  secureFederation,
  without,
} from '../__testUtils__/builders';

const rule = 'CERT-01';
const now = new Date('2030-06-01T00:00:00Z');
const spec = { dnsNames: ['superlink.fl-agg.svc'] };

function withStatus(status: Record<string, unknown>) {
  return evaluate(
    replace(
      secureFederation(),
      'Certificate',
      AGG_NS,
      'superlink-tls',
      certificate(AGG_NS, 'superlink-tls', spec, status),
    ),
    { now, cluster: 'live' },
  );
}

const ready = (value: string, extra: Record<string, unknown> = {}) => ({
  type: 'Ready',
  status: value,
  ...extra,
});

describe('CERT-01 cert-manager Certificate Ready', () => {
  it('skips offline: there is no status in manifests', () => {
    const result = resultFor(
      evaluate(secureFederation()),
      rule,
      'superlink-tls',
    );
    expect(result.status).toBe('skip');
  });

  it('passes Ready with a future notAfter', () => {
    expect(
      resultFor(
        withStatus({
          conditions: [ready('True')],
          notAfter: '2030-08-01T00:00:00Z',
        }),
        rule,
        'superlink-tls',
      ).status,
    ).toBe('pass');
  });

  it('fails Ready=True with a notAfter in the past (never trust Ready alone)', () => {
    const result = resultFor(
      withStatus({
        conditions: [ready('True')],
        notAfter: '2030-05-01T00:00:00Z',
      }),
      rule,
      'superlink-tls',
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/Ready but its certificate expired/);
  });

  it('warns when Ready=True but notAfter is missing', () => {
    expect(
      resultFor(
        withStatus({ conditions: [ready('True')] }),
        rule,
        'superlink-tls',
      ).status,
    ).toBe('warn');
  });

  it('fails not Ready with the reason, warns while issuing or unprocessed', () => {
    const failed = resultFor(
      withStatus({
        conditions: [
          ready('False', {
            reason: 'DoesNotExist',
            message: 'Issuer fed-ca not found',
          }),
        ],
      }),
      rule,
      'superlink-tls',
    );
    expect(failed).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/DoesNotExist: Issuer fed-ca not found/),
    });
    expect(
      resultFor(
        withStatus({
          conditions: [
            ready('False'),
            { type: 'Issuing', status: 'True', reason: 'Issuing' },
          ],
        }),
        rule,
        'superlink-tls',
      ).status,
    ).toBe('warn');
    expect(resultFor(withStatus({}), rule, 'superlink-tls').status).toBe(
      'warn',
    );
  });

  it('skips with the reason when cert-manager is not installed', () => {
    const objects = without(
      secureFederation(),
      'Certificate',
      AGG_NS,
      'superlink-tls',
    );
    const report = evaluate(objects, {
      cluster: 'live',
      gaps: [
        {
          kind: 'Certificate',
          apiVersion: 'cert-manager.io/v1',
          status: 'skip',
          reason: 'cert-manager CRDs are not installed',
        },
      ],
    });
    expect(results(report, rule)).toEqual([
      expect.objectContaining({
        status: 'skip',
        message: expect.stringMatching(/CRDs are not installed/),
      }),
    ]);
  });
});
