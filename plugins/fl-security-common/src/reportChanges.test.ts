import type { ComplianceReport, RuleResult } from './report';
import { compareReports, ruleResultKey } from './reportChanges';

function result(
  ruleId: string,
  name: string,
  status: RuleResult['status'],
): RuleResult {
  return {
    ruleId,
    status,
    severity: 'high',
    resource: { cluster: 'c1', kind: 'NetworkPolicy', namespace: 'ns', name },
    message: `${ruleId} on ${name}`,
    remediation: 'none',
  };
}

function report(
  generatedAt: string,
  results: RuleResult[],
): Pick<ComplianceReport, 'generatedAt' | 'results'> {
  return { generatedAt, results };
}

const ref = (ruleId: string, name: string) => ({
  ruleId,
  resource: { cluster: 'c1', kind: 'NetworkPolicy', namespace: 'ns', name },
});

describe('compareReports', () => {
  it('finds new failures, fixed results and other changed verdicts', () => {
    const previous = report('2026-08-01T10:00:00.000Z', [
      result('NET-01', 'a', 'pass'),
      result('NET-02', 'a', 'fail'),
      result('NET-03', 'a', 'warn'),
      result('NET-04', 'a', 'error'),
      result('NET-05', 'a', 'fail'),
      result('NET-06', 'a', 'pass'),
      result('NET-07', 'gone', 'fail'),
    ]);
    const latest = report('2026-08-01T11:00:00.000Z', [
      result('NET-01', 'a', 'fail'),
      result('NET-02', 'a', 'pass'),
      result('NET-03', 'a', 'error'),
      result('NET-04', 'a', 'warn'),
      result('NET-05', 'a', 'fail'),
      result('NET-06', 'a', 'pass'),
      result('NET-08', 'new', 'warn'),
      result('NET-09', 'new', 'fail'),
    ]);
    expect(compareReports(previous, latest)).toEqual({
      previousGeneratedAt: '2026-08-01T10:00:00.000Z',
      newFailures: [
        ref('NET-01', 'a'),
        ref('NET-03', 'a'),
        ref('NET-09', 'new'),
      ],
      fixed: [ref('NET-02', 'a')],
      changed: [
        { ...ref('NET-04', 'a'), from: 'error', to: 'warn' },
        { ...ref('NET-08', 'new'), to: 'warn' },
        // Not reported any more is not "fixed".
        { ...ref('NET-07', 'gone'), from: 'fail' },
      ],
    });
  });

  it('is empty when nothing changed', () => {
    const results = [
      result('NET-01', 'a', 'fail'),
      result('NET-02', 'a', 'pass'),
    ];
    expect(
      compareReports(
        report('t0', results),
        report('t1', [...results].reverse()),
      ),
    ).toEqual({
      previousGeneratedAt: 't0',
      newFailures: [],
      fixed: [],
      changed: [],
    });
  });

  it('takes the worst verdict of a rule on one object', () => {
    const previous = report('t0', [
      result('TLS-01', 'a', 'pass'),
      result('TLS-01', 'a', 'fail'),
    ]);
    const latest = report('t1', [
      result('TLS-01', 'a', 'pass'),
      result('TLS-01', 'a', 'pass'),
    ]);
    expect(compareReports(previous, latest).fixed).toEqual([
      ref('TLS-01', 'a'),
    ]);
    expect(compareReports(latest, previous).newFailures).toEqual([
      ref('TLS-01', 'a'),
    ]);
  });

  it('tells objects apart by cluster, namespace, kind and name', () => {
    const a = ref('NET-01', 'a');
    expect(ruleResultKey(a)).not.toBe(
      ruleResultKey({ ...a, resource: { ...a.resource, cluster: 'c2' } }),
    );
    expect(ruleResultKey(a)).not.toBe(
      ruleResultKey({ ...a, resource: { ...a.resource, kind: 'Pod' } }),
    );
  });
});
