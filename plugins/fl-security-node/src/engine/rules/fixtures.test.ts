/**
 * Every rule fixture (`__fixtures__/<RULE-ID>/<case>.yaml`) against the
 * engine, one test per case, grouped by rule. One rule only:
 *   FIXTURES=NET-01 yarn test src/engine/rules/fixtures.test.ts
 * (a comma-separated list works too), or jest's own `-t NET-01`.
 */
import { RULE_IDS } from '@fl-security/plugin-fl-security-common';
import {
  expectedStatuses,
  loadFixtures,
  runCase,
} from '../__testUtils__/fixtures';

/** Rules whose worst verdict on a subject is a warning (IMG-01: a tag still names a version). */
const WARN_ONLY_RULES: ReadonlySet<string> = new Set(['IMG-01']);

const only = process.env.FIXTURES?.split(',').map(s => s.trim());
const cases = loadFixtures(only);
const byRule = new Map<string, typeof cases>();
for (const c of cases) byRule.set(c.rule, [...(byRule.get(c.rule) ?? []), c]);

describe.each([...byRule.keys()])('%s fixtures', rule => {
  it.each(byRule.get(rule)!.map(c => [c.name, c] as const))(
    '%s',
    (_name, c) => {
      expect(runCase(c)).toEqual([]);
    },
  );
});

describe('the fixture guard', () => {
  const all = only ? loadFixtures() : cases;

  it('has a fixture folder for catalogue rules only', () => {
    const unknown = [...new Set(all.map(c => c.rule))].filter(
      r => !(RULE_IDS as readonly string[]).includes(r),
    );
    expect(unknown).toEqual([]);
  });

  it.each([...RULE_IDS])('%s has a passing and a failing fixture', rule => {
    const statuses = new Set(
      all.flatMap(c => expectedStatuses(c.variant.expect, c.rule, rule)),
    );
    // A rule that never fails proves itself with a warning instead.
    const failing = WARN_ONLY_RULES.has(rule) ? 'warn' : 'fail';
    expect({ pass: statuses.has('pass'), fail: statuses.has(failing) }).toEqual(
      { pass: true, fail: true },
    );
  });
});
