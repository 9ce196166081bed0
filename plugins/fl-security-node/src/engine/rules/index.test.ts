/**
 * The rule registry against the catalogue, and the shape the declaration
 * form promises: every rule declared with subjects (or a whole-federation
 * function), no rule function longer than a screen.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { RULE_IDS } from '@fl-security/plugin-fl-security-common';
import { dataOf, isFederationRule, subjectsOf } from '../ruleKit';
import { ALL_RULES } from '.';

const MAX_FUNCTION_LINES = 60;

function functionLengths(file: string): Array<[string, number]> {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const out: Array<[string, number]> = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const line = (pos: number) =>
        source.getLineAndCharacterOfPosition(pos).line;
      const start = line(node.getStart());
      out.push([`${file}:${start + 1}`, line(node.getEnd()) - start + 1]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('the rule registry', () => {
  it('declares every catalogue rule once, in catalogue order', () => {
    expect(ALL_RULES.map(r => r.id)).toEqual(RULE_IDS);
  });

  it('gives every rule subjects (or a whole-federation function) to run on', () => {
    for (const rule of ALL_RULES) {
      expect(subjectsOf(rule).length).toBeGreaterThan(0);
      const checks = isFederationRule(rule) ? [rule.evaluate] : rule.checks;
      expect(checks.length).toBeGreaterThan(0);
      expect(Array.isArray(dataOf(rule))).toBe(true);
    }
  });

  it(`has no rule function over ${MAX_FUNCTION_LINES} lines`, () => {
    const files = [__dirname, join(__dirname, 'shared')].flatMap(dir =>
      readdirSync(dir)
        .filter(f => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map(f => join(dir, f)),
    );
    expect(files.length).toBeGreaterThan(ALL_RULES.length);
    const long = files
      .flatMap(functionLengths)
      .filter(([, lines]) => lines > MAX_FUNCTION_LINES);
    expect(long).toEqual([]);
  });
});
