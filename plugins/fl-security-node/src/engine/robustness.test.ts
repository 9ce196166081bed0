/**
 * Hostile or broken input must never crash the engine or a rule: every
 * field of the secure federation is replaced, one at a time and in random
 * combinations, with values of the wrong type.
 */
import { CHECK_STATUSES } from '@fl-security/plugin-fl-security-common';
import { evaluateFederations } from './evaluate';
import { secureFederation } from './__testUtils__/builders';
import type { KubeObject } from './types';

const WRONG_VALUES: unknown[] = [
  null,
  42,
  'text',
  [],
  [null, 1, 'x'],
  {},
  { a: [1] },
  true,
];

/** Paths to every value inside an object (objects and arrays included). */
function paths(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(
  object: KubeObject,
  path: Array<string | number>,
  replacement: unknown,
): KubeObject {
  const copy = structuredClone(object);
  let cursor: any = copy;
  for (const key of path.slice(0, -1)) {
    cursor = cursor[key];
    // An earlier replacement removed this branch: nothing left to break.
    if (typeof cursor !== 'object' || cursor === null) return copy;
  }
  cursor[path[path.length - 1]] = replacement;
  return copy;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Results that are not sound: unknown status, or a rule that threw. */
function unsound(objects: KubeObject[]): string[] {
  const reports = evaluateFederations({
    snapshots: [{ objects, gaps: [] }],
    now: new Date(),
  });
  return reports.flatMap(report =>
    report.results
      .filter(
        r =>
          !CHECK_STATUSES.includes(r.status) ||
          /The rule could not be evaluated/.test(r.message),
      )
      .map(r => `${r.ruleId} ${r.status}: ${r.message}`),
  );
}

describe('engine robustness', () => {
  const base = secureFederation();

  it('survives every single field replaced by wrong types', () => {
    for (const [index, object] of base.entries()) {
      // metadata.name and kind are the identity: objects without them are dropped.
      for (const path of paths(object).filter(
        p =>
          p.length > 0 &&
          p[0] !== 'kind' &&
          !(p[0] === 'metadata' && p[1] === 'name' && p.length === 2),
      )) {
        // One wrong type per path, cycling through them (keeps the test fast).
        const wrong = WRONG_VALUES[(index + path.length) % WRONG_VALUES.length];
        const objects = [...base];
        objects[index] = setAt(object, path, wrong);
        expect(unsound(objects)).toEqual([]);
      }
    }
  });

  it('survives random combinations of broken fields', () => {
    const next = random(20260101);
    for (let round = 0; round < 150; round++) {
      const objects = base.map(object => {
        let broken = object;
        const all = paths(object).filter(p => p.length > 1 && p[0] !== 'kind');
        for (let i = 0; i < 3; i++) {
          if (next() < 0.5) continue;
          const path = all[Math.floor(next() * all.length)];
          broken = setAt(
            broken,
            path,
            WRONG_VALUES[Math.floor(next() * WRONG_VALUES.length)],
          );
        }
        return broken;
      });
      expect(unsound(objects)).toEqual([]);
    }
  });

  it('ignores entries that are not objects at all', () => {
    expect(
      unsound([
        ...base,
        null,
        5,
        'x',
        { kind: 'Deployment' },
        { metadata: { name: 'x' } },
      ] as unknown as KubeObject[]),
    ).toEqual([]);
  });
});
