/**
 * Where a generated FL project documents how to fix each rule: a section per
 * rule in deploy/README.md, headed by the bare rule id so that the anchor is
 * the same on every Markdown renderer (GitHub, GitLab, TechDocs): `#net-04`.
 */

/** The generated project's document with a section per rule. */
export const REMEDIATION_DOCS_PATH = 'deploy/README.md';

/** Anchor (without `#`) of a rule's section in REMEDIATION_DOCS_PATH. */
export function ruleDocsAnchor(ruleId: string): string {
  return ruleId.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}
