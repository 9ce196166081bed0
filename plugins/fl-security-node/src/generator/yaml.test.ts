import { parse } from 'yaml';
import { toYaml, toYamlDocuments, withStringCache } from './yaml';

describe('toYaml', () => {
  it('quotes strings that YAML 1.1 or 1.2 would read as another type', () => {
    const tricky = ['on', 'off', 'yes', 'no', 'y', 'true', 'null', '~', '9092', '0755', '1e3', '0x1f', '1:20', '.inf', ''];
    const text = toYaml({ values: tricky });
    for (const version of ['1.1', '1.2'] as const) {
      expect(parse(text, { version })).toEqual({ values: tricky });
    }
    expect(text).not.toMatch(/^%YAML/m);
  });

  it('keeps key order, numbers and booleans, and writes no anchors', () => {
    const shared = { a: 1 };
    const text = toYaml({ z: shared, a: shared, flag: false, n: 9092, port: 9092 });
    expect(text).toBe('z:\n  a: 1\na:\n  a: 1\nflag: false\n"n": 9092\nport: 9092\n');
  });

  it('refuses values YAML cannot carry faithfully', () => {
    expect(() => toYaml({ f: () => 1 })).toThrow('cannot write function as YAML');
    expect(() => toYaml({ n: Number.NaN })).toThrow('cannot write number as YAML');
  });

  it('joins documents after a comment header', () => {
    expect(toYamlDocuments([{ a: 1 }, { b: 2 }], 'generated\n\nkeep')).toBe('# generated\n#\n# keep\na: 1\n---\nb: 2\n');
  });
});

describe('withStringCache', () => {
  it('writes exactly what toYaml writes without it, at every depth and as keys', () => {
    const tricky = ['on', '9092', '---', '--- x', '...', 'a: b', '# c', "it's", 'say "hi"', 'both \' "', 'tab\there', '\u0007bell', 'x'.repeat(1100), 'two\nlines', ' lead', 'trail ', '', '-', '?'];
    const nested = (depth: number): unknown =>
      depth === 0
        ? Object.fromEntries(tricky.map(t => [t, tricky]))
        : { level: nested(depth - 1), list: [nested(depth - 1), tricky], plain: tricky };
    const documents = [nested(0), nested(2), { [tricky[12]]: 'long key' }, tricky];
    const expected = documents.map(doc => toYaml(doc));
    // Twice in one run: the second pass is answered from the cache.
    const cached = withStringCache(() => [...documents, ...documents].map(doc => toYaml(doc)));
    expect(cached).toEqual([...expected, ...expected]);
    for (const [index, text] of expected.entries()) {
      expect(parse(text, { version: '1.1' })).toEqual(documents[index]);
    }
  });
});
