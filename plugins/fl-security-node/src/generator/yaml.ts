/**
 * Deterministic YAML through the yaml library: key order is the order the
 * generator builds objects in, no anchors/aliases, no line folding. The
 * library decides quoting (a string that reads as a number or boolean is
 * quoted), so output always parses back to the same data.
 *
 * Nodes are built directly from the plain data (it has no cycles, no shared
 * references to alias and no custom types), which skips the library's
 * generic object walk: about twice as fast for large federations.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { ScalarTag, Tags } from 'yaml';

// No directives: the output never has any, and looking for tags to declare
// walks the whole document again.
const TO_STRING = { lineWidth: 0, minContentWidth: 0, indentSeq: true, directives: false } as const;

type Node = Scalar | YAMLMap | YAMLSeq;

/**
 * Rendered single-line strings of the current generation run (see
 * withStringCache): keys and most values repeat in every participant's
 * objects, and deciding how to quote each is most of the library's work.
 */
let renderedStrings: Map<string, string> | undefined;

const STR_TAG = 'tag:yaml.org,2002:str';

/** The library's string tag, remembering what it wrote for each single-line string. */
function rememberingStringTag(tag: ScalarTag): ScalarTag {
  const render = tag.stringify!;
  return {
    ...tag,
    stringify(item, ctx, onComment, onChompKeep) {
      const value = (item as Scalar).value;
      const cache = renderedStrings;
      // What a single-line string becomes depends only on these: multi-line
      // strings, comments and explicit styles are never remembered.
      if (
        !cache ||
        typeof value !== 'string' ||
        value.includes('\n') ||
        (item as Scalar).type !== undefined ||
        item.comment ||
        item.commentBefore ||
        ctx.inFlow
      ) {
        return render(item, ctx, onComment, onChompKeep);
      }
      const key = `${ctx.implicitKey ? 'k' : 'v'}${ctx.indent.length}:${value}`;
      let text = cache.get(key);
      if (text === undefined) {
        text = render(item, ctx, onComment, onChompKeep);
        cache.set(key, text);
      }
      return text;
    },
  };
}

const customTags = (tags: Tags): Tags =>
  tags.map(tag =>
    typeof tag === 'object' && tag.tag === STR_TAG && !('nodeClass' in tag && tag.nodeClass)
      ? rememberingStringTag(tag as ScalarTag)
      : tag,
  );

/** Runs fn with one cache of rendered strings shared by all its toYaml calls. */
export function withStringCache<T>(fn: () => T): T {
  if (renderedStrings) return fn();
  renderedStrings = new Map();
  try {
    return fn();
  } finally {
    renderedStrings = undefined;
  }
}

function toNode(value: unknown): Node {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items = value.map(toNode);
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const map = new YAMLMap();
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) map.items.push(new Pair(new Scalar(key), toNode(item)));
    }
    return map;
  }
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  ) {
    return new Scalar(value);
  }
  throw new Error(`cannot write ${typeof value} as YAML`);
}

export function toYaml(value: unknown): string {
  // YAML 1.1 rules decide quoting: Kubernetes tooling reads "on", "no", "0755"
  // the YAML 1.1 way, so such strings must be quoted.
  const document = new Document(undefined, { version: '1.1', customTags });
  document.contents = toNode(value);
  return document.toString(TO_STRING);
}

/** One file of several documents, with a leading comment. */
export function toYamlDocuments(documents: readonly unknown[], header?: string): string {
  const body = documents.map(doc => toYaml(doc)).join('---\n');
  return header ? `${commentBlock(header)}${body}` : body;
}

export function commentBlock(text: string): string {
  return `${text
    .split('\n')
    .map(line => (line ? `# ${line}` : '#'))
    .join('\n')}\n`;
}
