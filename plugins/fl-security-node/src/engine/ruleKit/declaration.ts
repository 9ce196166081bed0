/**
 * The declaration form of a rule. A rule names its catalogue entry (id), the
 * subjects it runs on, the snapshot data each subject needs, and a check
 * from one subject to its verdicts; the engine (./runRule) owns the loop,
 * the missing-data guard, ordering and crash isolation. A rule whose logic
 * does not fit one subject at a time gives a whole-federation `evaluate`
 * under the same declaration.
 */
import type {
  ResourceRef,
  RuleId,
} from '@fl-security/plugin-fl-security-common';
import type { ClusterIndex } from '../model/clusterIndex';
import type { Federation } from '../model/federation';
import type { Thresholds } from '../types';
import type { Finding, Verdict } from './verdicts';

export interface RuleContext {
  federation: Federation;
  now: Date;
  thresholds: Thresholds;
}

/** Where a subject lives: the snapshot (cluster) and, for namespaced subjects, the namespace. */
export interface Place {
  index: ClusterIndex;
  namespace?: string;
}

/** A kind of subject rules run on: how to list them in a federation and name them in results. */
export interface Subjects<S> {
  /** Plural noun for the rule list, e.g. "namespaces", "TLS Secrets". */
  readonly name: string;
  list(federation: Federation): readonly S[];
  /** The resource a verdict about the subject is reported on (with its cluster). */
  resource(subject: S): ResourceRef;
  /** Where the subject lives: needed by checks that declare data needs. */
  place?(subject: S): Place;
}

/**
 * Snapshot data a check cannot do without. When it is missing (a reader gap:
 * 403, timeout, CRD not installed; or the object is absent), `missing`
 * returns the verdict that stands for the subject instead of the check's.
 */
export interface DataNeed<S> {
  /** The snapshot kind, for the rule list (e.g. "NetworkPolicy"). */
  readonly kind: string;
  missing(subject: S, place: Place, resource: ResourceRef): Verdict | undefined;
}

export type Verdicts = Verdict | readonly Verdict[];

export interface SubjectCheck<S> {
  subjects: Subjects<S>;
  needs: readonly DataNeed<S>[];
  check(subject: S, context: RuleContext): Verdicts;
}

interface Declared {
  id: RuleId;
  /**
   * Kinds read across the federation: a reader gap on one of them in an
   * aggregator namespace is reported once (on the aggregator) and the checks
   * run on; missing CRDs (skip) mean there is nothing of the kind to check.
   */
  reads?: readonly string[];
}

export interface SubjectRule extends Declared {
  checks: readonly SubjectCheck<any>[];
  /** Runs when none of the checks had a subject (nothing of the kind to look at). */
  otherwise?: SubjectCheck<any>;
}

export interface FederationRule extends Declared {
  /** What the rule looks at, for the rule list. */
  subjects: string;
  /** Every finding of the rule at once; a throw becomes one `error` finding. */
  evaluate(context: RuleContext): Finding[];
}

export type Rule = SubjectRule | FederationRule;

/** A check of every subject of a kind. */
export function each<S>(
  subjects: Subjects<S>,
  check: (subject: NoInfer<S>, context: RuleContext) => Verdicts,
  needs: readonly DataNeed<NoInfer<S>>[] = [],
): SubjectCheck<S> {
  return { subjects, needs, check };
}

/** Declares a rule (identity: gives the declaration its type). */
export function defineRule<R extends Rule>(rule: R): R {
  return rule;
}

export function isFederationRule(rule: Rule): rule is FederationRule {
  return 'evaluate' in rule;
}

/** The subject kinds a rule runs on, for the rule list. */
export function subjectsOf(rule: Rule): string[] {
  if (isFederationRule(rule)) return [rule.subjects];
  return [...new Set(rule.checks.map(c => c.subjects.name))];
}

/** The snapshot kinds a rule needs (per subject) or reads (across the federation). */
export function dataOf(rule: Rule): string[] {
  const kinds = [...(rule.reads ?? [])];
  if (!isFederationRule(rule)) {
    for (const c of [
      ...rule.checks,
      ...(rule.otherwise ? [rule.otherwise] : []),
    ])
      kinds.push(...c.needs.map(n => n.kind));
  }
  return [...new Set(kinds)];
}
