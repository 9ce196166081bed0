/**
 * Kubernetes label selectors (metav1.LabelSelector): matchLabels AND
 * matchExpressions, an empty selector matches everything. Invalid selectors
 * are reported, never guessed.
 */
import { isRecord, str, strings } from './objects';

export type Labels = Readonly<Record<string, string>>;

export interface LabelMatcher {
  matches(labels: Labels): boolean;
  /** True for `{}`: selects every object. */
  readonly matchesAll: boolean;
  /** One key=value every match carries: lets callers use a label index. */
  readonly anchor?: readonly [string, string];
  /** Kubernetes selector syntax, for messages. */
  readonly text: string;
}

export type SelectorResult =
  | { ok: true; matcher: LabelMatcher }
  | { ok: false; error: string };

/** One compiled requirement, as data (no closure per selector). */
type Requirement =
  | { op: 'eq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: ReadonlySet<string> }
  | { op: 'exists' | 'absent'; key: string };

export const MATCH_ALL: LabelMatcher = {
  matches: () => true,
  matchesAll: true,
  text: '{}',
};

function satisfies(labels: Labels, r: Requirement): boolean {
  const value = labels[r.key];
  switch (r.op) {
    case 'eq':
      return value === r.value;
    case 'in':
      return value !== undefined && r.values.has(value);
    case 'notin':
      return value === undefined || !r.values.has(value);
    case 'exists':
      return value !== undefined;
    default:
      return value === undefined;
  }
}

function describeRequirement(r: Requirement): string {
  switch (r.op) {
    case 'eq':
      return `${r.key}=${r.value}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${[...r.values].join(',')})`;
    case 'exists':
      return r.key;
    default:
      return `!${r.key}`;
  }
}

class CompiledMatcher implements LabelMatcher {
  readonly matchesAll = false;
  private description?: string;

  constructor(
    private readonly requirements: readonly Requirement[],
    readonly anchor?: readonly [string, string],
  ) {}

  matches(labels: Labels): boolean {
    for (const r of this.requirements) if (!satisfies(labels, r)) return false;
    return true;
  }

  /** Built on demand: only messages need it. */
  get text(): string {
    this.description ??= this.requirements.map(describeRequirement).join(',');
    return this.description;
  }
}

export function compileSelector(selector: unknown): SelectorResult {
  if (selector === undefined || selector === null) {
    return { ok: true, matcher: MATCH_ALL };
  }
  if (!isRecord(selector)) {
    return { ok: false, error: 'selector is not an object' };
  }
  const requirements: Requirement[] = [];
  let anchor: [string, string] | undefined;

  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) {
      return { ok: false, error: 'matchLabels is not a map' };
    }
    for (const key of Object.keys(matchLabels)) {
      const raw = matchLabels[key];
      if (
        typeof raw !== 'string' &&
        typeof raw !== 'number' &&
        typeof raw !== 'boolean'
      ) {
        return { ok: false, error: `matchLabels.${key} is not a string` };
      }
      const value = String(raw);
      requirements.push({ op: 'eq', key, value });
      anchor ??= [key, value];
    }
  }

  const expressions = selector.matchExpressions;
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) {
      return { ok: false, error: 'matchExpressions is not a list' };
    }
    for (const expression of expressions) {
      if (!isRecord(expression)) {
        return { ok: false, error: 'matchExpressions entry is not an object' };
      }
      const key = str(expression.key);
      const operator = str(expression.operator);
      const values = strings(expression.values);
      if (!key)
        return { ok: false, error: 'matchExpressions entry without key' };
      switch (operator) {
        case 'In':
        case 'NotIn':
          if (values.length === 0) {
            return {
              ok: false,
              error: `${key} ${operator} needs at least one value`,
            };
          }
          requirements.push({
            op: operator === 'In' ? 'in' : 'notin',
            key,
            values: new Set(values),
          });
          if (operator === 'In' && values.length === 1)
            anchor ??= [key, values[0]];
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (values.length > 0) {
            return {
              ok: false,
              error: `${key} ${operator} must not have values`,
            };
          }
          requirements.push({
            op: operator === 'Exists' ? 'exists' : 'absent',
            key,
          });
          break;
        default:
          return {
            ok: false,
            error: `unknown selector operator ${JSON.stringify(
              operator ?? null,
            )}`,
          };
      }
    }
  }

  if (requirements.length === 0) return { ok: true, matcher: MATCH_ALL };
  return { ok: true, matcher: new CompiledMatcher(requirements, anchor) };
}

/** Plain equality selector (Service.spec.selector, Istio workload selectors). */
export function compileEqualitySelector(
  selector: Record<string, string>,
): LabelMatcher {
  const entries = Object.entries(selector);
  if (entries.length === 0) return MATCH_ALL;
  return {
    matches: labels => entries.every(([k, v]) => labels[k] === v),
    matchesAll: false,
    anchor: entries[0],
    text: entries.map(([k, v]) => `${k}=${v}`).join(','),
  };
}

/**
 * Items indexed by label key=value so that selectors with an anchor only look
 * at candidates (keeps reachability linear in the number of pods).
 */
export class LabelIndex<T> {
  private readonly all: T[] = [];
  /** key -> value -> items; built on the first anchored select. */
  private byPair?: Map<string, Map<string, T[]>>;

  constructor(private readonly labelsOf: (item: T) => Labels) {}

  add(item: T): void {
    this.all.push(item);
    if (this.byPair) this.index(item, this.byPair);
  }

  private index(item: T, byPair: Map<string, Map<string, T[]>>): void {
    const labels = this.labelsOf(item);
    for (const k in labels) {
      if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
      let values = byPair.get(k);
      if (!values) {
        values = new Map();
        byPair.set(k, values);
      }
      const list = values.get(labels[k]);
      if (list) list.push(item);
      else values.set(labels[k], [item]);
    }
  }

  items(): readonly T[] {
    return this.all;
  }

  select(matcher: LabelMatcher): T[] {
    if (matcher.matchesAll) return this.all.slice();
    let candidates: readonly T[] = this.all;
    if (matcher.anchor) {
      if (!this.byPair) {
        const byPair = new Map<string, Map<string, T[]>>();
        for (const item of this.all) this.index(item, byPair);
        this.byPair = byPair;
      }
      candidates =
        this.byPair.get(matcher.anchor[0])?.get(matcher.anchor[1]) ?? [];
    }
    return candidates.filter(item => matcher.matches(this.labelsOf(item)));
  }
}
