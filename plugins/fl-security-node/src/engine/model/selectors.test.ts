import { LabelIndex, compileSelector } from './selectors';

function matcher(selector: unknown) {
  const result = compileSelector(selector);
  if (!result.ok) throw new Error(result.error);
  return result.matcher;
}

describe('compileSelector', () => {
  it('matches everything for {} and an absent selector', () => {
    expect(matcher({}).matchesAll).toBe(true);
    expect(matcher(undefined).matches({})).toBe(true);
    expect(matcher({ matchLabels: {}, matchExpressions: [] }).matchesAll).toBe(
      true,
    );
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const m = matcher({
      matchLabels: { app: 'a' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }],
    });
    expect(m.matches({ app: 'a', tier: 'y' })).toBe(true);
    expect(m.matches({ app: 'a', tier: 'z' })).toBe(false);
    expect(m.matches({ app: 'b', tier: 'x' })).toBe(false);
    expect(m.matches({ tier: 'x' })).toBe(false);
    expect(m.text).toBe('app=a,tier in (x,y)');
  });

  it('implements NotIn, Exists and DoesNotExist like Kubernetes', () => {
    const notIn = matcher({
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }],
    });
    expect(notIn.matches({})).toBe(true); // an absent key is "not in"
    expect(notIn.matches({ env: 'dev' })).toBe(true);
    expect(notIn.matches({ env: 'prod' })).toBe(false);
    const exists = matcher({
      matchExpressions: [{ key: 'env', operator: 'Exists' }],
    });
    expect(exists.matches({ env: '' })).toBe(true);
    expect(exists.matches({})).toBe(false);
    const absent = matcher({
      matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }],
    });
    expect(absent.matches({})).toBe(true);
    expect(absent.matches({ env: 'x' })).toBe(false);
  });

  it.each([
    [
      { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] },
      /unknown selector operator/,
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      /at least one value/,
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      /must not have values/,
    ],
    [{ matchExpressions: [{ operator: 'Exists' }] }, /without key/],
    [{ matchLabels: 'app=a' }, /not a map/],
    ['app=a', /not an object/],
  ])('rejects the invalid selector %j', (selector, error) => {
    const result = compileSelector(selector);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(error);
  });
});

describe('LabelIndex', () => {
  it('selects through the anchor label and still applies the whole selector', () => {
    const index = new LabelIndex<Record<string, string>>(x => x);
    const items = [
      { app: 'a', tier: 'x' },
      { app: 'a', tier: 'y' },
      { app: 'b', tier: 'x' },
    ];
    items.forEach(i => index.add(i));
    expect(
      index.select(
        matcher({
          matchLabels: { app: 'a' },
          matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }],
        }),
      ),
    ).toEqual([items[1]]);
    expect(
      index.select(
        matcher({
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['x'] }],
        }),
      ),
    ).toEqual([items[0], items[2]]);
    expect(index.select(matcher({}))).toEqual(items);
  });
});
