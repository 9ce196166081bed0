/**
 * Deterministic YAML: key order is the order the generator builds objects
 * in, no anchors/aliases, no line folding. Same input, same bytes.
 */
import { stringify } from 'yaml';

const OPTIONS = {
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
  indentSeq: true,
} as const;

export function toYaml(value: unknown): string {
  return stringify(value, OPTIONS);
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
