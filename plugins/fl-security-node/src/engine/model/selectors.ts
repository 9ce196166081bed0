/**
 * Kubernetes label selectors (metav1.LabelSelector): matchLabels AND
 * matchExpressions, an empty selector matches everything. Invalid selectors
 * are reported, never guessed.
 */
import { isRecord, records, str, strings } from './objects';

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

type Requirement = (labels: Labels) => boolean;

export const MATCH_ALL: LabelMatcher = {
  matches: () => true,
  matchesAll: true,
  text: '{}',
};

export function compileSelector(selector: unknown): SelectorResult {
  if (selector === undefined || selector === null)
    return { ok: true, matcher: MATCH_ALL };
  if (!isRecord(selector))
    return { ok: false, error: 'selector is not an object' };
  const requirements: Requirement[] = [];
  const parts: string[] = [];
  let anchor: [string, string] | undefined;

  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels))
      return { ok: false, error: 'matchLabels is not a map' };
    for (const [key, raw] of Object.entries(matchLabels)) {
      if (
        typeof raw !== 'string' &&
        typeof raw !== 'number' &&
        typeof raw !== 'boolean'
      ) {
        return { ok: false, error: `matchLabels.${key} is not a string` };
      }
      const value = String(raw);
      requirements.push(labels => labels[key] === value);
      parts.push(`${key}=${value}`);
      anchor ??= [key, value];
    }
  }

  const expressions = selector.matchExpressions;
  if (
    expressions !== undefined &&
    expressions !== null &&
    !Array.isArray(expressions)
  ) {
    return { ok: false, error: 'matchExpressions is not a list' };
  }
  for (const expression of records(expressions)) {
    const key = str(expression.key);
    const operator = str(expression.operator);
    const values = strings(expression.values);
    if (!key) return { ok: false, error: 'matchExpressions entry without key' };
    switch (operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0) {
          return {
            ok: false,
            error: `${key} ${operator} needs at least one value`,
          };
        }
        const set = new Set(values);
        requirements.push(
          operator === 'In'
            ? labels => labels[key] !== undefined && set.has(labels[key])
            : labels => labels[key] === undefined || !set.has(labels[key]),
        );
        parts.push(
          `${key} ${operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`,
        );
        if (operator === 'In' && values.length === 1)
          anchor ??= [key, values[0]];
        break;
      }
      case 'Exists':
      case 'DoesNotExist': {
        if (values.length > 0) {
          return {
            ok: false,
            error: `${key} ${operator} must not have values`,
          };
        }
        requirements.push(
          operator === 'Exists'
            ? labels => labels[key] !== undefined
            : labels => labels[key] === undefined,
        );
        parts.push(operator === 'Exists' ? key : `!${key}`);
        break;
      }
      default:
        return {
          ok: false,
          error: `unknown selector operator ${JSON.stringify(
            operator ?? null,
          )}`,
        };
    }
  }

  if (requirements.length === 0) return { ok: true, matcher: MATCH_ALL };
  return {
    ok: true,
    matcher: {
      matches: labels => requirements.every(requirement => requirement(labels)),
      matchesAll: false,
      anchor,
      text: parts.join(','),
    },
  };
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
  private readonly byPair = new Map<string, T[]>();

  constructor(private readonly labelsOf: (item: T) => Labels) {}

  add(item: T): void {
    this.all.push(item);
    for (const [k, v] of Object.entries(this.labelsOf(item))) {
      const key = `${k}\u0000${v}`;
      const list = this.byPair.get(key);
      if (list) list.push(item);
      else this.byPair.set(key, [item]);
    }
  }

  items(): readonly T[] {
    return this.all;
  }

  select(matcher: LabelMatcher): T[] {
    if (matcher.matchesAll) return this.all.slice();
    const candidates = matcher.anchor
      ? this.byPair.get(`${matcher.anchor[0]}\u0000${matcher.anchor[1]}`) ?? []
      : this.all;
    return candidates.filter(item => matcher.matches(this.labelsOf(item)));
  }
}
