import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS } from '@fl-security/plugin-fl-security-common';
import { REPO_ROOT } from '../__testUtils__/fixtures';
import { renderRuleList, withRuleList } from './ruleList';

const CONTRIBUTING = join(REPO_ROOT, 'CONTRIBUTING.md');

describe('the rule list in CONTRIBUTING.md', () => {
  it('lists every catalogue rule', () => {
    const list = renderRuleList();
    for (const id of RULE_IDS) expect(list).toContain(`| ${id} |`);
    expect(list).toMatch(/\| NET-01 \| .* \| namespaces \| NetworkPolicy \|/);
  });

  it('is up to date (run `yarn rules:list` after changing a rule)', () => {
    const committed = readFileSync(CONTRIBUTING, 'utf8');
    expect(withRuleList(committed)).toBe(committed);
  });
});
