/**
 * x509-limbo through the rules: every case within what the certificate
 * rules claim becomes a federation (limboFederation) and CERT-05/CERT-06
 * must give limbo's expected result: SUCCESS as pass (or warn), FAILURE as
 * fail; an error or skip agrees with neither. The scope is that of the
 * validator (x509/__testUtils__/limbo.ts EXCLUSIONS, each with its reason)
 * minus verifier settings a participant cannot express (RULE_EXCLUSIONS).
 */
import {
  RULE_EXCLUSIONS,
  limboVerdict,
  ruleExclusionOf,
} from './__testUtils__/limboFederation';
import { exclusionOf, loadLimbo } from './x509/__testUtils__/limbo';

const cases = loadLimbo();
const inScope = cases.filter(c => !exclusionOf(c) && !ruleExclusionOf(c));

describe('x509-limbo through CERT-05 and CERT-06', () => {
  it('runs the in-scope cases of the fixture (README: 207 cases, 138 in scope)', () => {
    expect(cases).toHaveLength(207);
    expect(cases.filter(c => !exclusionOf(c))).toHaveLength(144);
    expect(inScope).toHaveLength(138);
  });

  it('gives every rule-level exclusion a reason and a case', () => {
    for (const exclusion of RULE_EXCLUSIONS) {
      expect(exclusion.reason.length).toBeGreaterThan(20);
      expect(cases.some(c => !exclusionOf(c) && exclusion.applies(c))).toBe(
        true,
      );
    }
  });

  it.each(inScope.map(c => [c.id, c] as const))('%s', (_id, c) => {
    const { verdict, messages } = limboVerdict(c);
    // On disagreement, show what the rules said.
    expect({ verdict, messages }).toMatchObject({
      verdict: c.expected_result,
    });
  });
});
