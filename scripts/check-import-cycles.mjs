#!/usr/bin/env node
/**
 * Fails when any workspace package has an import cycle in its sources
 * (type-only imports included: a cycle of types is still two modules that
 * cannot be understood apart). Uses dpdm's parser; run by `yarn lint:all`.
 *   node scripts/check-import-cycles.mjs [package-dir...]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';

const root = join(fileURLToPath(import.meta.url), '..', '..');

function workspacePackages() {
  return ['packages', 'plugins'].flatMap(group =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter(
        d => d.isDirectory() && existsSync(join(root, group, d.name, 'src')),
      )
      .map(d => join(group, d.name)),
  );
}

async function cyclesOf(dir) {
  const tree = await parseDependencyTree('src/**/*.{ts,tsx}', {
    cwd: join(root, dir),
    context: join(root, dir),
    transform: false,
    skipDynamicImports: false,
    exclude: /node_modules/,
  });
  return parseCircular(tree);
}

const dirs =
  process.argv.length > 2 ? process.argv.slice(2) : workspacePackages();
let found = 0;
for (const dir of dirs) {
  for (const cycle of await cyclesOf(dir)) {
    found++;
    console.error(
      `import cycle in ${dir}: ${[...cycle, cycle[0]].join(' -> ')}`,
    );
  }
}
console.log(`import cycles: ${found} in ${dirs.length} packages`);
process.exitCode = found ? 1 : 0;
