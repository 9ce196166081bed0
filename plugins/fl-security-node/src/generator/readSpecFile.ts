/**
 * Reads a federation spec from YAML text. The YAML layer is strict too:
 * no aliases (entity expansion), no custom tags, no duplicate keys, one
 * document, bounded size.
 */
import { isAlias, parseAllDocuments, visit } from 'yaml';

export const MAX_SPEC_BYTES = 1024 * 1024;

export type SpecTextResult = { ok: true; value: unknown } | { ok: false; errors: string[] };

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

export function parseSpecText(text: string): SpecTextResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_SPEC_BYTES) {
    return { ok: false, errors: [`spec file: larger than ${MAX_SPEC_BYTES} bytes`] };
  }
  const documents = parseAllDocuments(text, {
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
  });
  const list = Array.isArray(documents) ? documents : [];
  if (list.length !== 1) {
    return { ok: false, errors: ['spec file: must contain exactly one YAML document'] };
  }
  const [document] = list;
  const problems = [...document.errors, ...document.warnings].map(
    issue => `spec file: ${firstLine(issue.message)}`,
  );
  if (problems.length > 0) return { ok: false, errors: problems };
  let aliases = 0;
  visit(document, { Alias: () => void (aliases += 1) });
  if (aliases > 0 || isAlias(document.contents)) {
    return { ok: false, errors: ['spec file: YAML aliases are not allowed'] };
  }
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: 0 }) };
  } catch (error) {
    return { ok: false, errors: [`spec file: ${firstLine((error as Error).message)}`] };
  }
}
