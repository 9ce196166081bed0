#!/usr/bin/env node
/**
 * `yarn rules:list`: rewrites the rule list of CONTRIBUTING.md from the rule
 * catalogue and the engine's declarations (between its rule-list markers).
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

require('tsx/cjs/api').register();
const { withRuleList } = require(join(
  __dirname,
  '..',
  'plugins/fl-security-node/src/engine/rules/ruleList.ts',
));

const file = join(__dirname, '..', 'CONTRIBUTING.md');
const before = readFileSync(file, 'utf8');
const after = withRuleList(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(
  `CONTRIBUTING.md: rule list ${after === before ? 'up to date' : 'updated'}\n`,
);
