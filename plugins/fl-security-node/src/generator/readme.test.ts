import {
  parseFederationSpec,
  REMEDIATION_DOCS_PATH,
  READER_RULES,
  RULES,
  ruleDocsAnchor,
} from '@fl-security/plugin-fl-security-common';
import { generateFederationProject } from './generate';
import { smallSpec } from './__testUtils__/specs';

/** GitHub's (and GitLab's, TechDocs') anchor of a Markdown heading. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

describe('deploy/README.md', () => {
  const readme = generateFederationProject(parseFederationSpec(smallSpec)).files.find(
    file => file.path === REMEDIATION_DOCS_PATH,
  )!.content;
  const anchors = readme
    .split('\n')
    .filter(line => /^#{1,6} /.test(line))
    .map(line => headingAnchor(line.replace(/^#+ /, '')));

  it('has one section per rule at the anchor the portal links to', () => {
    for (const rule of [...RULES, ...READER_RULES]) {
      expect(anchors.filter(anchor => anchor === ruleDocsAnchor(rule.id))).toHaveLength(1);
    }
  });

  it('says why each rule matters and how to fix it', () => {
    for (const rule of [...RULES, ...READER_RULES]) {
      const section = readme.split(`\n### ${rule.id}\n`)[1].split('\n### ')[0];
      expect(section).toContain(rule.title);
      expect(section).toContain(rule.rationale);
      expect(section).toContain(rule.remediation);
    }
  });
});
