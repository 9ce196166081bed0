import {
  ComplianceReport,
  RuleResult,
  summarize,
} from '@fl-security/plugin-fl-security-common';
import { nextState, NotifiedState, Transition } from './transitions';

const ALL = { federation: true, certificates: true };

const secret = (name: string) => ({
  cluster: 'demo',
  kind: 'Secret',
  namespace: 'fl-agg',
  name,
});

function result(
  ruleId: string,
  status: RuleResult['status'],
  resource = secret('x'),
): RuleResult {
  return {
    ruleId,
    status,
    severity: 'high',
    resource,
    message: `${ruleId} ${status} on ${resource.name}`,
    remediation: '-',
  };
}

function report(
  results: RuleResult[],
  errors: ComplianceReport['errors'] = [],
): ComplianceReport {
  return {
    federation: 'fl',
    generatedAt: '2026-08-01T00:00:00.000Z',
    results,
    summary: summarize(results),
    certificates: [],
    reachability: [],
    errors,
  };
}

const passing = report([result('NET-01', 'pass'), result('NET-03', 'pass')]);
const failing = report([
  result('NET-01', 'pass'),
  result('NET-03', 'fail'),
  result('NET-04', 'fail'),
  result('NET-04', 'fail', secret('y')),
]);
const unknown = report(
  [result('NET-01', 'error')],
  [{ cluster: 'demo', message: 'timed out' }],
);
const expiry = (status: RuleResult['status'], name = 'tls') =>
  result('CERT-02', status, secret(name));

/** Feeds the reports in order; the transitions of each. */
function run(reports: ComplianceReport[], options = ALL): Transition[][] {
  let state: NotifiedState | undefined;
  return reports.map(r => {
    const next = nextState(state, r, options);
    state = next.state;
    return next.transitions;
  });
}

const kinds = (steps: Transition[][]) => steps.map(s => s.map(t => t.kind));

describe('notification transitions', () => {
  it('sets the baseline silently, whatever the first report says', () => {
    expect(kinds(run([failing]))).toEqual([[]]);
    expect(kinds(run([report([expiry('fail')])]))).toEqual([[]]);
  });

  it('tells passing to failing once, names the failing rules, then the recovery once', () => {
    const steps = run([passing, failing, failing, failing, passing, passing]);
    expect(kinds(steps)).toEqual([
      [],
      ['federation-failing'],
      [],
      [],
      ['federation-recovered'],
      [],
    ]);
    expect(steps[1][0]).toEqual({
      kind: 'federation-failing',
      rules: ['NET-03', 'NET-04'],
      failCount: 3,
    });
  });

  it('keeps the verdict through scans that could not tell', () => {
    expect(
      kinds(run([passing, unknown, failing, unknown, failing, passing])),
    ).toEqual([
      [],
      [],
      ['federation-failing'],
      [],
      [],
      ['federation-recovered'],
    ]);
  });

  it('counts warnings as passing', () => {
    const warnings = report([result('NET-01', 'warn')]);
    expect(kinds(run([failing, warnings, passing]))).toEqual([
      [],
      ['federation-recovered'],
      [],
    ]);
  });

  it('tells each certificate crossing the warn and the fail threshold once, and its renewal', () => {
    const steps = run(
      ['pass', 'warn', 'warn', 'fail', 'fail', 'pass', 'pass'].map(status =>
        report([result('NET-01', 'pass'), expiry(status as any)]),
      ),
    );
    expect(kinds(steps)).toEqual([
      [],
      ['certificate-warn'],
      [],
      ['certificate-fail'],
      [],
      ['certificate-recovered'],
      [],
    ]);
    expect(steps[1][0]).toMatchObject({
      resource: secret('tls'),
      message: 'CERT-02 warn on tls',
    });
  });

  it('tells an expiring certificate as such, not as the federation failing', () => {
    const withCert = (status: string) =>
      report([result('NET-01', 'pass'), expiry(status as any)]);
    expect(
      kinds(run([withCert('pass'), withCert('fail'), withCert('pass')])),
    ).toEqual([[], ['certificate-fail'], ['certificate-recovered']]);
  });

  it('tells a certificate straight from fine to failing as one fail', () => {
    expect(
      kinds(run([report([expiry('pass')]), report([expiry('fail')])])),
    ).toEqual([[], ['certificate-fail']]);
  });

  it('tells nothing when a certificate only improves from fail to warn, but again when it falls back', () => {
    expect(
      kinds(
        run(
          ['pass', 'fail', 'warn', 'fail'].map(s => report([expiry(s as any)])),
        ),
      ),
    ).toEqual([[], ['certificate-fail'], [], ['certificate-fail']]);
  });

  it('treats a certificate first seen after the baseline as having been fine', () => {
    expect(
      kinds(
        run([
          report([expiry('pass', 'a')]),
          report([expiry('pass', 'a'), expiry('warn', 'b')]),
        ]),
      ),
    ).toEqual([[], ['certificate-warn']]);
  });

  it('keeps a certificate missing from an incomplete report, drops it from a complete one', () => {
    const incomplete = report([], [{ cluster: 'demo', message: 'timed out' }]);
    expect(
      kinds(
        run([
          report([expiry('warn')]),
          incomplete,
          report([expiry('warn')]),
          report([]),
          report([expiry('warn')]),
        ]),
      ),
    ).toEqual([[], [], [], [], ['certificate-warn']]);
  });

  it('keeps the level when the expiry rule could not evaluate', () => {
    expect(
      kinds(
        run(
          ['warn', 'error', 'warn', 'pass'].map(s =>
            report([expiry(s as any)]),
          ),
        ),
      ),
    ).toEqual([[], [], [], ['certificate-recovered']]);
  });

  it('tells only what is switched on, and keeps track of the rest', () => {
    const reports = [
      report([result('NET-01', 'pass'), expiry('pass')]),
      report([result('NET-01', 'fail'), expiry('warn')]),
    ];
    expect(
      kinds(run(reports, { federation: false, certificates: true })),
    ).toEqual([[], ['certificate-warn']]);
    expect(
      kinds(run(reports, { federation: true, certificates: false })),
    ).toEqual([[], ['federation-failing']]);
  });
});
