/**
 * The rule list of CONTRIBUTING.md, rendered from the catalogue (id, title,
 * severity) and the declarations (subjects, data needs), as kube-score
 * renders its README list. `yarn rules:list` writes it; ruleList.test.ts
 * fails when the committed list is stale. Pure: text in, text out.
 */
import { getRuleMetadata } from '@fl-security/plugin-fl-security-common';
import { dataOf, subjectsOf } from '../ruleKit';
import { ALL_RULES } from '.';

export const RULE_LIST_START = '<!-- rule-list:start (yarn rules:list) -->';
export const RULE_LIST_END = '<!-- rule-list:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The Markdown table of every rule, in catalogue order. */
export function renderRuleList(): string {
  const rows = ALL_RULES.map(rule => {
    const meta = getRuleMetadata(rule.id)!;
    const data = dataOf(rule);
    return `| ${rule.id} | ${cell(meta.title)} | ${meta.severity} | ${cell(
      subjectsOf(rule).join(', '),
    )} | ${data.length ? data.join(', ') : '—'} |`;
  });
  return [
    '| id | rule | severity | runs on | declared data needs |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** `document` with the text between the markers replaced by the current list. */
export function withRuleList(document: string): string {
  const start = document.indexOf(RULE_LIST_START);
  const end = document.indexOf(RULE_LIST_END);
  if (start < 0 || end < start)
    throw new Error(
      `the document has no ${RULE_LIST_START} ... ${RULE_LIST_END} block`,
    );
  return `${document.slice(
    0,
    start + RULE_LIST_START.length,
  )}\n${renderRuleList()}\n${document.slice(end)}`;
}
