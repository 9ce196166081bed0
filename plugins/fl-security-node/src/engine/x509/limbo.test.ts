/**
 * x509-limbo conformance: every case within what the certificate rules claim
 * (server path validation, host names, IPs, EKU, key usage, pathLen, name
 * constraints, validity) must agree with limbo's expected result. Excluded
 * cases are listed with their reason in __testUtils__/limbo.ts.
 */
import {
  EXCLUSIONS,
  exclusionOf,
  loadLimbo,
  runLimboCase,
} from './__testUtils__/limbo';

const cases = loadLimbo();
const inScope = cases.filter(c => !exclusionOf(c));
const outOfScope = cases.filter(c => exclusionOf(c));

describe('x509-limbo', () => {
  it('has the 207 cases of the fixture, split into in and out of scope', () => {
    expect(cases).toHaveLength(207);
    expect(inScope).toHaveLength(144);
    expect(outOfScope).toHaveLength(63);
  });

  it('gives every exclusion a reason, and every exclusion matches a case', () => {
    for (const exclusion of EXCLUSIONS) {
      expect(exclusion.reason.length).toBeGreaterThan(20);
      expect(outOfScope.some(c => exclusionOf(c) === exclusion)).toBe(true);
    }
  });

  it('keeps both verdicts of each conflicting pair in scope exactly once', () => {
    const ids = new Set(inScope.map(c => c.id));
    for (const c of cases as Array<{ id: string; conflicts_with?: string[] }>) {
      for (const other of c.conflicts_with ?? [])
        expect(ids.has(c.id) && ids.has(other)).toBe(false);
    }
  });

  it.each(inScope.map(c => [c.id, c] as const))('%s', (_id, c) => {
    const result = runLimboCase(c);
    const verdict = result.ok ? 'SUCCESS' : 'FAILURE';
    // On disagreement, show why we decided as we did.
    expect({
      verdict,
      problems: result.problems.map(p => p.message),
    }).toMatchObject({
      verdict: c.expected_result,
    });
    // A failure always says why.
    expect(result.ok || result.problems.length > 0).toBe(true);
  });
});
