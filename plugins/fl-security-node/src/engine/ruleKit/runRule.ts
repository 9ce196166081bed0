/**
 * The engine side of the declaration form: lists each check's subjects,
 * applies the missing-data guard, runs the check, turns a throw into an
 * `error` finding on the subject it was checking (the other subjects keep
 * their results), and orders results: rules in catalogue order, results of
 * a rule by resource (stable, so one resource keeps its verdicts in order).
 */
import {
  RuleResult,
  getRuleMetadata,
} from '@fl-security/plugin-fl-security-common';
import type { ResourceRef } from '@fl-security/plugin-fl-security-common';
import { resourceKey } from '../model/objects';
import {
  DataNeed,
  Rule,
  RuleContext,
  SubjectCheck,
  Subjects,
  isFederationRule,
} from './declaration';
import { federationGaps } from './gaps';
import { workloadRef } from './refs';
import { Finding, Verdict, error, toFinding } from './verdicts';

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function crashed(resource: ResourceRef, e: unknown): Finding {
  return toFinding(
    error(`The rule could not be evaluated: ${reason(e)}.`),
    resource,
  );
}

/** The verdict of the first need the snapshot does not meet, if any. */
function missingData<S>(
  subjects: Subjects<S>,
  needs: readonly DataNeed<S>[],
  subject: S,
  resource: ResourceRef,
): Verdict | undefined {
  if (needs.length === 0) return undefined;
  if (!subjects.place)
    throw new Error(`${subjects.name} cannot be located for their data needs`);
  const place = subjects.place(subject);
  for (const need of needs) {
    const missing = need.missing(subject, place, resource);
    if (missing) return missing;
  }
  return undefined;
}

/** Runs one check over its subjects into `out`; returns how many subjects it had. */
function runCheck(
  { subjects, needs, check }: SubjectCheck<unknown>,
  context: RuleContext,
  out: Finding[],
): number {
  const listed = subjects.list(context.federation);
  for (const subject of listed) {
    let resource: ResourceRef | undefined;
    try {
      resource = subjects.resource(subject);
      const verdicts =
        missingData(subjects, needs, subject, resource) ??
        check(subject, context);
      for (const v of Array.isArray(verdicts) ? verdicts : [verdicts])
        out.push(toFinding(v, resource));
    } catch (e) {
      const member = context.federation.members[0];
      const at = resource ?? (member ? workloadRef(member) : undefined);
      if (at) out.push(crashed(at, e));
    }
  }
  return listed.length;
}

/** The findings of one rule on one federation; never throws. */
export function runRule(rule: Rule, context: RuleContext): Finding[] {
  try {
    const findings = federationGaps(context.federation, rule.reads ?? []);
    if (isFederationRule(rule)) return [...findings, ...rule.evaluate(context)];
    let subjects = 0;
    for (const check of rule.checks)
      subjects += runCheck(check, context, findings);
    if (subjects === 0 && rule.otherwise)
      runCheck(rule.otherwise, context, findings);
    return findings;
  } catch (e) {
    // Listing the subjects (or a whole-federation rule) failed: one error.
    const member = context.federation.members[0];
    return member ? [crashed(workloadRef(member), e)] : [];
  }
}

function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Every rule's results, in the order of `rules` (the catalogue's). */
export function runRules(
  rules: readonly Rule[],
  context: RuleContext,
): RuleResult[] {
  const results: RuleResult[] = [];
  for (const rule of rules) {
    const metadata = getRuleMetadata(rule.id);
    if (!metadata) throw new Error(`rule ${rule.id} is not in the catalogue`);
    const keyed = runRule(rule, context).map(f => ({
      key: resourceKey(f.resource),
      result: {
        ruleId: rule.id,
        status: f.status,
        severity: metadata.severity,
        resource: f.resource,
        message: f.message,
        remediation: f.remediation ?? metadata.remediation,
      },
    }));
    keyed.sort((a, b) => compareKeys(a.key, b.key));
    for (const { result } of keyed) results.push(result);
  }
  return results;
}
