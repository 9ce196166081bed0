import { newFailureKeys, resultKey } from './changes';

const ref = (name: string, cluster?: string) => ({
  ruleId: 'NET-04',
  resource: { cluster, kind: 'NetworkPolicy', namespace: 'fl-agg', name },
});

describe('resultKey', () => {
  it('tells results apart by rule and object, cluster included', () => {
    expect(resultKey(ref('a', 'c1'))).toBe(resultKey(ref('a', 'c1')));
    expect(resultKey(ref('a', 'c1'))).not.toBe(resultKey(ref('a', 'c2')));
    expect(resultKey(ref('a'))).not.toBe(resultKey(ref('b')));
    // No separator games: names cannot collide by containing one.
    expect(resultKey(ref('x / y'))).not.toBe(
      resultKey({
        ...ref('y'),
        resource: { ...ref('y').resource, namespace: 'fl-agg / x' },
      }),
    );
  });
});

describe('newFailureKeys', () => {
  it('is empty without changes', () => {
    expect(newFailureKeys(undefined).size).toBe(0);
  });

  it('holds the new failures only', () => {
    const keys = newFailureKeys({
      previousGeneratedAt: '2026-01-01T00:00:00Z',
      newFailures: [ref('a')],
      fixed: [ref('b')],
    });
    expect([...keys]).toEqual([resultKey(ref('a'))]);
  });
});
