/**
 * The fixture runner itself: a fixture that expects the wrong verdict, or a
 * patch that no longer matches the golden federation, must fail loudly (a
 * runner that cannot fail proves nothing).
 */
import { parse } from 'yaml';
import { runCase } from '../__testUtils__/fixtures';
import { applySteps, mergePatch } from '../__testUtils__/fixtures/patch';
import { fixtureSchema } from '../__testUtils__/fixtures/schema';

function caseOf(yaml: string) {
  const fixture = fixtureSchema.parse(parse(yaml));
  return {
    rule: 'NET-01',
    name: 'inline',
    fixture,
    variant: { title: fixture.title, expect: fixture.expect! },
  };
}

describe('the fixture runner', () => {
  it('reports a verdict the engine does not give', () => {
    const problems = runCase(
      caseOf(`
title: wrong on purpose
expect:
  - resource: Namespace demo-federation-hospital-a
    status: fail
    message: /no default-deny/
  - statuses: [pass]
  - absent: Namespace demo-federation-aggregator
`),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^NET-01: status pass, expected fail; message does not match/,
      ),
      expect.stringMatching(
        /^NET-01: statuses \["pass","pass","pass","pass"\], expected \["pass"\]/,
      ),
      expect.stringMatching(
        /^NET-01: unexpected result on Namespace demo-federation-aggregator/,
      ),
    ]);
  });

  it('reports an expectation on a resource without exactly one result', () => {
    expect(
      runCase(
        caseOf(`
title: no such namespace
expect:
  - resource: Namespace nowhere
    status: pass
`),
      ),
    ).toEqual([
      expect.stringMatching(
        /^NET-01: 0 results on Namespace nowhere, expected 1/,
      ),
    ]);
  });

  it('refuses a patch that matches nothing, and an RFC 6902 test that does not hold', () => {
    expect(() =>
      runCase(
        caseOf(`
title: stale patch
patch:
  - remove: NetworkPolicy demo-federation-hospital-a/renamed
expect: [{ statuses: [] }]
`),
      ),
    ).toThrow(
      /nothing matches NetworkPolicy demo-federation-hospital-a\/renamed/,
    );
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
    ];
    expect(() =>
      applySteps(objects, [
        {
          target: 'Namespace a',
          ops: [{ op: 'test', path: '/metadata/name', value: 'b' }],
        },
      ]),
    ).toThrow();
  });

  it('merges as RFC 7386 says (objects merge, null deletes, arrays replace)', () => {
    expect(
      mergePatch(
        { a: { b: 1, c: 2 }, d: [1, 2], e: 1 },
        { a: { b: null, x: 3 }, d: [3], e: null },
      ),
    ).toEqual({ a: { c: 2, x: 3 }, d: [3] });
  });

  it('rejects unknown fields in a fixture', () => {
    expect(
      fixtureSchema.safeParse(
        parse('title: t\nexpect: [{ statuses: [] }]\npatches: []'),
      ).success,
    ).toBe(false);
  });
});
