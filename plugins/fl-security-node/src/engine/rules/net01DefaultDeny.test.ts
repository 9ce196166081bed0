import {
  evaluate,
  networkPolicy,
  replace,
  resultFor,
  secureFederation,
  statuses,
  without,
} from '../__testUtils__/builders';

const rule = 'NET-01';

describe('NET-01 default-deny', () => {
  it('passes when every namespace denies ingress and egress (DNS egress tolerated)', () => {
    expect(statuses(evaluate(secureFederation()), rule)).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
  });

  it('warns when only one direction is denied', () => {
    const objects = without(
      secureFederation(),
      'NetworkPolicy',
      'site-a',
      'default-deny',
    );
    const result = resultFor(evaluate(objects), rule, 'site-a');
    // allow-dns is `podSelector: {}` + Egress with DNS only: a default-deny for egress.
    expect(result.status).toBe('warn');
    expect(result.message).toMatch(/nothing denies ingress/);
  });

  it('fails without any default-deny', () => {
    let objects = without(
      secureFederation(),
      'NetworkPolicy',
      'site-a',
      'default-deny',
    );
    objects = without(objects, 'NetworkPolicy', 'site-a', 'allow-dns');
    expect(resultFor(evaluate(objects), rule, 'site-a').status).toBe('fail');
  });

  it('does not count an allow-all or a narrowed policy as default-deny', () => {
    const allowAll = replace(
      secureFederation(),
      'NetworkPolicy',
      'site-a',
      'default-deny',
      networkPolicy('site-a', 'default-deny', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{}],
      }),
    );
    expect(resultFor(evaluate(allowAll), rule, 'site-a').status).toBe('warn');
    const narrowed = replace(
      secureFederation(),
      'NetworkPolicy',
      'site-a',
      'default-deny',
      networkPolicy('site-a', 'default-deny', {
        podSelector: { matchLabels: { app: 'supernode' } },
        policyTypes: ['Ingress', 'Egress'],
      }),
    );
    expect(resultFor(evaluate(narrowed), rule, 'site-a').status).toBe('warn');
  });

  it('applies policyTypes defaulting: no policyTypes and no rules denies ingress only', () => {
    const objects = replace(
      secureFederation(),
      'NetworkPolicy',
      'site-a',
      'default-deny',
      networkPolicy('site-a', 'default-deny', { podSelector: {} }),
    );
    // Ingress denied by the defaulted policy, egress by allow-dns.
    expect(resultFor(evaluate(objects), rule, 'site-a').status).toBe('pass');
    const noDns = without(objects, 'NetworkPolicy', 'site-a', 'allow-dns');
    expect(resultFor(evaluate(noDns), rule, 'site-a').status).toBe('warn');
  });

  it('reports a permission gap as error naming the permission', () => {
    const report = evaluate(secureFederation(), {
      cluster: 'prod',
      gaps: [
        {
          kind: 'networkpolicies',
          namespace: 'site-b',
          status: 'error',
          reason: 'forbidden (403)',
          missingPermission: 'list networkpolicies in site-b',
        },
      ],
    });
    const result = resultFor(report, rule, 'site-b');
    expect(result.status).toBe('error');
    expect(result.message).toMatch(
      /forbidden \(403\) \(missing permission: list networkpolicies in site-b\)/,
    );
    expect(result.resource.cluster).toBe('prod');
    expect(report.errors).toEqual([
      {
        cluster: 'prod',
        message: 'networkpolicies site-b: forbidden (403)',
        missingPermission: 'list networkpolicies in site-b',
      },
    ]);
  });
});
