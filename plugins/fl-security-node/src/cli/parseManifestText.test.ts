/**
 * The fast path (js-yaml) must give exactly what the strict path (`yaml`)
 * gives: the same objects, the same locations, the same error for bad input.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { generateFromInput } from '../generator';
import { specVariants } from '../generator/__testUtils__/specs';
import {
  ManifestError,
  ParsedFile,
  parseManifestText,
  parseManifestTextFast,
  parseManifestTextStrict,
} from './parseManifestText';

function outcome(parse: () => ParsedFile): ParsedFile | { error: string } {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    return { error: error.message };
  }
}

/** Both paths on one text; the public function must match the strict one. */
function expectSameAsStrict(file: string, text: string) {
  const strict = outcome(() => parseManifestTextStrict(file, text));
  expect(outcome(() => parseManifestText(file, text))).toEqual(strict);
  return strict;
}

const generatedFiles = Object.entries(specVariants).flatMap(
  ([variant, input]) => {
    const result = generateFromInput(input);
    if (!result.ok) throw new Error(`${variant}: ${result.errors.join('; ')}`);
    return result.files
      .filter(f => /\.ya?ml$/.test(f.path))
      .map(f => ({ path: `${variant}/${f.path}`, content: f.content }));
  },
);

/** Scalars where YAML 1.1, 1.2 core and the two libraries could disagree. */
const TRICKY_SCALARS = [
  'null',
  'Null',
  'NULL',
  '~',
  '',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '0x1F',
  '0X1F',
  '0o17',
  '0O17',
  '017',
  '0b101',
  '1_000',
  '+12',
  '-0',
  '-12',
  '12345678901234567890',
  '1e3',
  '1E+3',
  '-1.5e-3',
  '1.',
  '.5',
  '+.5',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  'NaN',
  'inf',
  '2024-01-01',
  '2024-01-01T00:00:00Z',
  '12:30:00',
  '0:30',
  '<<',
  '=',
  '__proto__',
  '-',
  '?',
  ':',
  'a: b',
  '#x',
  'x #y',
  '@x',
  '`x',
  '"q"',
  "'q'",
  ' lead',
  'trail ',
  'multi\nline',
  'tab\there',
  '\u00e9t\u00e9',
  '\u{1F512}',
];

const trickyValue = fc.oneof(
  fc.constantFrom(...TRICKY_SCALARS),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const trickyJson = fc.letrec(tie => ({
  value: fc.oneof(
    { depthSize: 'small' },
    trickyValue,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...TRICKY_SCALARS), fc.string()),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

const STRINGIFY_OPTIONS = [
  {},
  { collectionStyle: 'flow' as const },
  {
    defaultStringType: 'QUOTE_DOUBLE' as const,
    defaultKeyType: 'PLAIN' as const,
  },
  { defaultStringType: 'QUOTE_SINGLE' as const },
  { defaultStringType: 'BLOCK_LITERAL' as const },
  { indent: 4, indentSeq: false },
];

describe('parseManifestText', () => {
  it('takes the fast path for generated manifests and agrees with the strict path', () => {
    expect(generatedFiles.length).toBeGreaterThan(50);
    let fast = 0;
    for (const { path, content } of generatedFiles) {
      const strict = parseManifestTextStrict(path, content);
      const quick = parseManifestTextFast(path, content);
      if (quick) fast++;
      // The fast path either answers exactly as the strict one or defers.
      expect(quick ?? strict).toEqual(strict);
      expect(parseManifestText(path, content)).toEqual(strict);
    }
    // Otherwise the comparison above would prove little.
    expect(fast).toBeGreaterThan(generatedFiles.length * 0.8);
  });

  // expectSameAsStrict asserts.
  // eslint-disable-next-line jest/expect-expect
  it('agrees with the strict path on random documents in every style', () => {
    fc.assert(
      fc.property(
        fc.array(trickyJson, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...STRINGIFY_OPTIONS),
        fc.constantFrom('', '# leading comment\n', '---\n', '--- # c\n\n'),
        (data, options, prefix) => {
          const text =
            prefix +
            data
              .map((value, i) =>
                stringify(
                  {
                    apiVersion: 'v1',
                    kind: 'ConfigMap',
                    metadata: { name: `m${i}` },
                    data: value,
                  },
                  options,
                ),
              )
              .join('---\n');
          expectSameAsStrict('random.yaml', text);
        },
      ),
      { seed: 16, numRuns: 400 },
    );
  });

  // expectSameAsStrict asserts.
  // eslint-disable-next-line jest/expect-expect
  it('agrees with the strict path on plain scalars written by hand', () => {
    for (const scalar of TRICKY_SCALARS.filter(s => !/\n|^ |#/.test(s))) {
      for (const text of [
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: ${scalar}\n`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ${scalar}: v\n`,
        `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": [${scalar}]}`,
      ])
        expectSameAsStrict('scalar.yaml', text);
    }
  });

  it('rejects what the strict path rejects, with its message, on mutated manifests', () => {
    const base = generatedFiles
      .filter(f => /supernode|network-policies/.test(f.path))
      .slice(0, 2)
      .map(f => f.content)
      .join('---\n');
    const alphabet = ' :-\n\t"\'#[]{},|>?&*!%@`~0123456789abcxyz.\\';
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(base.length - 1),
            fc.constantFrom('delete', 'insert', 'replace'),
            fc.constantFrom(...alphabet),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        edits => {
          let text = base;
          for (const [at, op, char] of edits) {
            const p = Math.min(at, text.length - 1);
            if (op === 'delete') text = text.slice(0, p) + text.slice(p + 1);
            else if (op === 'insert')
              text = text.slice(0, p) + char + text.slice(p);
            else text = text.slice(0, p) + char + text.slice(p + 1);
          }
          if ('error' in expectSameAsStrict('mutated.yaml', text)) rejected++;
        },
      ),
      { seed: 16, numRuns: 1500 },
    );
    expect(rejected).toBeGreaterThan(100);
  });

  it('reports bad input with file, line and column', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: [unclosed\n';
    expect(() => parseManifestText('deploy/bad.yaml', text)).toThrow(
      /^deploy\/bad\.yaml:8:1: invalid YAML\/JSON: /,
    );
    expect(() =>
      parseManifestText(
        'dup.yaml',
        'apiVersion: v1\nkind: A\nkind: B\nmetadata: {name: x}\n',
      ),
    ).toThrow(/^dup\.yaml:3:1: invalid YAML\/JSON: Map keys must be unique/);
    expect(() =>
      parseManifestText(
        'comma.json',
        '{"apiVersion": "v1",\n "kind": "A" "metadata": {"name": "x"}}\n',
      ),
    ).toThrow(/^comma\.json:2:\d+: invalid YAML\/JSON: /);
  });

  it('locates each document of a stream and each item of a List', () => {
    const text = [
      '# comment',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: a}',
      '---',
      '',
      '  apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: b}',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: c}',
      '',
    ].join('\n');
    const parsed = parseManifestText('s.yaml', text);
    expect(
      parsed.objects.map(o => [
        o.object.metadata.name,
        o.location.line,
        o.location.column,
      ]),
    ).toEqual([
      ['a', 3, 1],
      ['b', 8, 3],
      ['c', 15, 5],
    ]);
    expect(
      parseManifestTextFast(
        's.yaml',
        text.split('---\napiVersion: v1\nkind: List')[0],
      ),
    ).toEqual(
      parseManifestTextStrict(
        's.yaml',
        text.split('---\napiVersion: v1\nkind: List')[0],
      ),
    );
  });
});
