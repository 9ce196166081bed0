/**
 * Parses the text of one manifest file into Kubernetes objects with the line
 * of each. Two paths with one answer:
 *
 * - the strict path is the `yaml` package (YAML 1.2 core schema, unique keys,
 *   alias limit). It is the authority: its errors are the ones users see.
 * - the fast path is js-yaml with a schema that resolves plain scalars exactly
 *   as `yaml`'s core schema does. It is about 7× faster on generated trees
 *   (bench/README.md). It takes only files without the features where the two
 *   libraries differ (anchors, aliases, tags, directives, non-string keys,
 *   a byte-order mark) and hands anything it rejects or any `List` to the
 *   strict path, so errors and item locations stay the strict path's.
 *
 * parseManifestText.test.ts checks that both paths agree on generated,
 * random and mutated input.
 */
import jsYaml from 'js-yaml';
import {
  LineCounter,
  parseAllDocuments,
  isMap,
  isSeq,
  Node as YamlNode,
} from 'yaml';
import type { KubeObject } from '../engine';

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
}

export interface ParsedObject {
  object: KubeObject;
  location: SourceLocation;
}

export interface ParsedFile {
  objects: ParsedObject[];
  /** Documents that are not Kubernetes objects (kustomization, values...). */
  skipped: string[];
}

export class ManifestError extends Error {}

/** YAML 1.2 core schema scalars, with the `yaml` package's regular expressions. */
const CORE_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const CORE_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

const CORE_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (text: string) => CORE_NULL.test(text),
      construct: () => null,
    }),
    new jsYaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (text: string) => CORE_BOOL.test(text),
      construct: (text: string) => text[0] === 't' || text[0] === 'T',
    }),
    new jsYaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (text: string) => CORE_INT.test(text),
      construct: (text: string) => {
        if (text.startsWith('0o')) return parseInt(text.slice(2), 8);
        if (text.startsWith('0x')) return parseInt(text.slice(2), 16);
        return parseInt(text, 10);
      },
    }),
    new jsYaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (text: string) => CORE_FLOAT.test(text),
      construct: (text: string) => {
        const lower = text.toLowerCase();
        if (lower.endsWith('nan')) return NaN;
        if (lower.endsWith('inf'))
          return text[0] === '-' ? -Infinity : Infinity;
        return parseFloat(text);
      },
    }),
  ],
});

/**
 * Text the fast path leaves to the strict one. Conservative: a match inside a
 * quoted string only costs speed.
 * - `&anchor`, `*alias`, `!tag` where a node may start; `%` directives;
 * - keys that are collections (`]:`, `}:`), explicit (`? `), or null/empty
 *   (js-yaml names a null key "null", `yaml` names it "");
 * - a byte-order mark (js-yaml drops it before counting columns).
 */
const NEEDS_STRICT_PATH =
  /(?:^|[\s,[\]{}])[&*!]|^%|[\]}]\s*:(?:[\s,[\]{}]|$)|(?:^|[\s,[{])\?(?:[\s,[\]{}]|$)|(?:^|[\s{,[-])(?:~|[Nn]ull|NULL)?:(?:[\s,[\]{}]|$)|^\uFEFF/m;

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return false;
  const object = value as Record<string, unknown>;
  const metadata = object.metadata as Record<string, unknown> | undefined;
  return (
    typeof object.apiVersion === 'string' &&
    typeof object.kind === 'string' &&
    typeof metadata === 'object' &&
    metadata !== null &&
    typeof metadata.name === 'string'
  );
}

function isList(value: unknown): boolean {
  const record = value as Record<string, unknown> | null;
  return (
    typeof record?.kind === 'string' &&
    record.kind.endsWith('List') &&
    Array.isArray(record.items)
  );
}

function isKustomize(object: KubeObject): boolean {
  return object.apiVersion.startsWith('kustomize.config.k8s.io/');
}

/** The strict path: the `yaml` package, with file:line:column errors. */
export function parseManifestTextStrict(
  file: string,
  text: string,
): ParsedFile {
  const result: ParsedFile = { objects: [], skipped: [] };
  const counter = new LineCounter();
  const locate = (node: YamlNode | null | undefined): SourceLocation => {
    const { line, col } = counter.linePos(node?.range?.[0] ?? 0);
    return { file, line, column: col };
  };
  const documents = parseAllDocuments(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const [index, document] of list.entries()) {
    if (document.errors.length > 0) {
      const error = document.errors[0];
      const { line, col } = counter.linePos(error.pos[0]);
      throw new ManifestError(
        `${file}:${line}:${col}: invalid YAML/JSON: ${
          error.message.split('\n')[0]
        }`,
      );
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw new ManifestError(
        `${file}: document ${index + 1} cannot be read: ${
          (error as Error).message.split('\n')[0]
        }`,
      );
    }
    if (value === null || value === undefined) continue;
    const where = `${file} document ${index + 1}`;
    if (!isKubeObject(value)) {
      // `List` objects have no metadata.name; their items are the objects.
      if (isList(value)) {
        const items = (value as { items: unknown[] }).items;
        const itemsNode = isMap(document.contents)
          ? document.contents.get('items', true)
          : undefined;
        items.forEach((item, i) => {
          const node = isSeq(itemsNode)
            ? (itemsNode.items[i] as YamlNode)
            : undefined;
          if (isKubeObject(item))
            result.objects.push({
              object: item,
              location: locate(node ?? document.contents),
            });
          else result.skipped.push(`${where} item ${i + 1}`);
        });
      } else {
        result.skipped.push(where);
      }
      continue;
    }
    if (isKustomize(value)) {
      result.skipped.push(where);
      continue;
    }
    result.objects.push({ object: value, location: locate(document.contents) });
  }
  return result;
}

/**
 * The fast path, or undefined where the strict path must answer. js-yaml's
 * listener reports where each document's root node starts (one top-level
 * node per document, empty ones included).
 */
export function parseManifestTextFast(
  file: string,
  text: string,
): ParsedFile | undefined {
  if (NEEDS_STRICT_PATH.test(text)) return undefined;
  const starts: SourceLocation[] = [];
  let depth = 0;
  let values: unknown[];
  try {
    values = jsYaml.loadAll(text, undefined, {
      schema: CORE_SCHEMA,
      listener(event, state) {
        if (event === 'open') {
          if (depth === 0) {
            starts.push({
              file,
              line: state.line + 1,
              column: state.position - state.lineStart + 1,
            });
          }
          depth++;
        } else depth--;
      },
    });
  } catch {
    return undefined;
  }
  if (starts.length !== values.length) return undefined;
  const result: ParsedFile = { objects: [], skipped: [] };
  for (const [index, value] of values.entries()) {
    if (value === null || value === undefined) continue;
    if (isList(value)) return undefined; // item locations: strict path
    if (!isKubeObject(value) || isKustomize(value)) {
      result.skipped.push(`${file} document ${index + 1}`);
      continue;
    }
    result.objects.push({ object: value, location: starts[index] });
  }
  return result;
}

/** Objects and skipped documents of one file; throws ManifestError on bad input. */
export function parseManifestText(file: string, text: string): ParsedFile {
  return (
    parseManifestTextFast(file, text) ?? parseManifestTextStrict(file, text)
  );
}
