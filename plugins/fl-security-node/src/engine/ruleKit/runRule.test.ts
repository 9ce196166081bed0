/**
 * The engine side of the declaration form, on a made-up federation: the
 * loop, the missing-data guard, `otherwise`, federation-wide reads, crash
 * isolation per subject and ordering.
 */
import { ClusterIndex } from '../model/clusterIndex';
import type { Federation, Member } from '../model/federation';
import { DEFAULT_THRESHOLDS } from '../types';
import type { SnapshotGap } from '../types';
import { DataNeed, Subjects, defineRule, each } from './declaration';
import { runRule, runRules } from './runRule';
import { fail, pass, skip } from './verdicts';

function federationOf(gaps: SnapshotGap[] = [], names = ['b', 'a', 'c']) {
  const index = new ClusterIndex({ cluster: 'c1', objects: [], gaps });
  const members = names.map(
    (name): Member => ({
      index,
      workload: { kind: 'Deployment', namespace: `ns-${name}`, name } as any,
      role: name === 'a' ? 'aggregator' : 'participant',
      flower: [],
    }),
  );
  const federation: Federation = {
    name: 'fed',
    members,
    aggregators: members.filter(m => m.role === 'aggregator'),
    participants: members.filter(m => m.role === 'participant'),
    namespaces: members.map(m => ({ index, name: m.workload.namespace })),
  };
  return { now: new Date(0), thresholds: DEFAULT_THRESHOLDS, federation };
}

const workloads: Subjects<Member> = {
  name: 'workloads',
  list: f => f.members,
  resource: m => ({ kind: 'Deployment', name: m.workload.name }),
  place: m => ({ index: m.index, namespace: m.workload.namespace }),
};

const policies: DataNeed<Member> = {
  kind: 'NetworkPolicy',
  missing: (_m, { index, namespace }) =>
    index.gapFor('NetworkPolicy', namespace) ? skip('no policies') : undefined,
};

describe('runRule', () => {
  it('runs the check once per subject and reports on the subject', () => {
    const rule = defineRule({
      id: 'NET-01',
      checks: [each(workloads, m => pass(`ok ${m.workload.name}`))],
    });
    expect(runRule(rule, federationOf())).toEqual([
      {
        status: 'pass',
        resource: { kind: 'Deployment', name: 'b' },
        message: 'ok b',
      },
      {
        status: 'pass',
        resource: { kind: 'Deployment', name: 'a' },
        message: 'ok a',
      },
      {
        status: 'pass',
        resource: { kind: 'Deployment', name: 'c' },
        message: 'ok c',
      },
    ]);
  });

  it('puts the missing-data verdict in place of the check', () => {
    const check = jest.fn(() => pass('checked'));
    const rule = defineRule({
      id: 'NET-01',
      checks: [each(workloads, check, [policies])],
    });
    const gap: SnapshotGap = {
      kind: 'networkpolicies',
      namespace: 'ns-a',
      status: 'error',
      reason: '403',
    };
    const findings = runRule(rule, federationOf([gap]));
    expect(findings.map(f => f.message)).toEqual([
      'checked',
      'no policies',
      'checked',
    ]);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('turns a throw into an error on that subject; the others stand', () => {
    const rule = defineRule({
      id: 'NET-01',
      checks: [
        each(workloads, m => {
          if (m.workload.name === 'a') throw new Error('boom');
          return fail('bad');
        }),
      ],
    });
    expect(
      runRule(rule, federationOf()).map(f => [
        f.resource.name,
        f.status,
        f.message,
      ]),
    ).toEqual([
      ['b', 'fail', 'bad'],
      ['a', 'error', 'The rule could not be evaluated: boom.'],
      ['c', 'fail', 'bad'],
    ]);
  });

  it('refuses data needs on subjects it cannot locate (an error, never a pass)', () => {
    const rule = defineRule({
      id: 'NET-01',
      checks: [
        each({ ...workloads, place: undefined }, () => pass('x'), [policies]),
      ],
    });
    expect(runRule(rule, federationOf()).map(f => f.status)).toEqual([
      'error',
      'error',
      'error',
    ]);
  });

  it('runs `otherwise` only when no check had a subject', () => {
    const none: Subjects<Member> = { ...workloads, list: () => [] };
    const rule = defineRule({
      id: 'NET-03',
      checks: [each(none, () => fail('never'))],
      otherwise: each(workloads, () => skip('nothing to check')),
    });
    expect(runRule(rule, federationOf()).map(f => f.status)).toEqual([
      'skip',
      'skip',
      'skip',
    ]);
    const some = defineRule({
      ...rule,
      checks: [each(workloads, () => pass('y'))],
    });
    expect(runRule(some, federationOf()).map(f => f.status)).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
  });

  it('reports error gaps of federation-wide reads once, on the aggregator, and ignores skip gaps', () => {
    const rule = defineRule({
      id: 'ING-01',
      reads: ['Ingress', 'TLSRoute'],
      checks: [each(workloads, () => [])],
    });
    const findings = runRule(
      rule,
      federationOf([
        {
          kind: 'ingresses',
          status: 'error',
          reason: 'timeout',
          missingPermission: 'list ingresses',
        },
        { kind: 'TLSRoute', status: 'skip', reason: 'no CRD' },
      ]),
    );
    expect(findings).toEqual([
      {
        status: 'error',
        resource: {
          kind: 'Deployment',
          name: 'a',
          cluster: 'c1',
          namespace: 'ns-a',
        },
        message:
          'Ingress objects: timeout (missing permission: list ingresses)',
        remediation: 'Grant the reader "list ingresses".',
      },
    ]);
  });

  it('runs a whole-federation rule and contains its crash', () => {
    const whole = defineRule({
      id: 'NET-04',
      subjects: 'the federation',
      evaluate: () => [
        {
          status: 'pass' as const,
          resource: { kind: 'X', name: 'y' },
          message: 'm',
        },
      ],
    });
    expect(runRule(whole, federationOf())).toHaveLength(1);
    const broken = defineRule({
      ...whole,
      evaluate: () => {
        throw new Error('no');
      },
    });
    expect(runRule(broken, federationOf())).toEqual([
      expect.objectContaining({
        status: 'error',
        message: 'The rule could not be evaluated: no.',
      }),
    ]);
  });
});

describe('runRules', () => {
  it('keeps the given rule order, sorts each rule by resource, stably, and adds the catalogue entry', () => {
    const twice = (m: Member) => [
      pass(`1 ${m.workload.name}`),
      pass(`2 ${m.workload.name}`),
    ];
    const results = runRules(
      [
        defineRule({ id: 'POD-01', checks: [each(workloads, twice)] }),
        defineRule({
          id: 'NET-01',
          checks: [each(workloads, () => fail('f'))],
        }),
      ],
      federationOf(),
    );
    expect(
      results.map(r => `${r.ruleId} ${r.resource.name} ${r.message}`),
    ).toEqual([
      'POD-01 a 1 a',
      'POD-01 a 2 a',
      'POD-01 b 1 b',
      'POD-01 b 2 b',
      'POD-01 c 1 c',
      'POD-01 c 2 c',
      'NET-01 a f',
      'NET-01 b f',
      'NET-01 c f',
    ]);
    expect(results[0]).toMatchObject({
      severity: 'medium',
      remediation: expect.any(String),
    });
  });
});
