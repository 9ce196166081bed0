/**
 * The `fl-security` CLI as `npm install` users get it: both packages built
 * with `backstage-cli package build`, laid out in a node_modules folder with
 * their publishConfig applied (as `backstage-cli package prepack` does) and
 * without src/, so the bin must run the compiled JavaScript. Third-party
 * dependencies come from the repository's node_modules through NODE_PATH.
 * Used by the published-bin test and by `yarn bench`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
const PACKAGES = [
  { dir: 'plugins/fl-security-common', files: ['dist'] },
  { dir: 'plugins/fl-security-node', files: ['dist', 'bin'] },
];

/** Runs the package build of both packages (writes their dist/). */
export function buildPublishedPackages(): void {
  const cli = join(
    REPO_ROOT,
    'node_modules',
    '@backstage',
    'cli',
    'bin',
    'backstage-cli',
  );
  for (const { dir } of PACKAGES) {
    execFileSync(process.execPath, [cli, 'package', 'build'], {
      cwd: join(REPO_ROOT, dir),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
}

/** src/x.ts → dist/x.cjs.js, the way prepack points exports at the build. */
function toDist(target: string): string {
  return target.replace(/^\.\/src\/(.*)\.ts$/, './dist/$1.cjs.js');
}

function publishedManifest(manifest: Record<string, any>): Record<string, any> {
  const published: Record<string, any> = {
    ...manifest,
    ...manifest.publishConfig,
  };
  delete published.publishConfig;
  delete published.typesVersions;
  if (manifest.exports) {
    published.exports = Object.fromEntries(
      Object.entries(manifest.exports as Record<string, string>).map(
        ([key, target]) => [key, toDist(target)],
      ),
    );
  }
  return published;
}

/**
 * Lays the built packages out under `outDir`; returns the bin and the
 * environment to run it with. Call buildPublishedPackages() first.
 */
export function stagePublishedCli(outDir: string): {
  bin: string;
  env: NodeJS.ProcessEnv;
} {
  let bin = '';
  for (const { dir, files } of PACKAGES) {
    const source = join(REPO_ROOT, dir);
    const manifest = JSON.parse(
      readFileSync(join(source, 'package.json'), 'utf8'),
    );
    const target = join(outDir, 'node_modules', ...manifest.name.split('/'));
    mkdirSync(target, { recursive: true });
    writeFileSync(
      join(target, 'package.json'),
      JSON.stringify(publishedManifest(manifest), null, 2),
    );
    for (const file of files)
      cpSync(join(source, file), join(target, file), { recursive: true });
    if (manifest.bin?.['fl-security'])
      bin = join(target, manifest.bin['fl-security']);
  }
  const { FL_SECURITY_CLI: _ignored, ...env } = process.env;
  return {
    bin,
    env: {
      ...env,
      NODE_PATH: PACKAGES.map(p => join(REPO_ROOT, p.dir, 'node_modules'))
        .concat(join(REPO_ROOT, 'node_modules'))
        .join(':'),
    },
  };
}
