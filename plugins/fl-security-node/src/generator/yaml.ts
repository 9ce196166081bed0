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

const TO_STRING = { lineWidth: 0, minContentWidth: 0, indentSeq: true } as const;

type Node = Scalar | YAMLMap | YAMLSeq;

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
  const document = new Document(undefined, { version: '1.1' });
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
