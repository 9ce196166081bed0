/**
 * The published bin runs the compiled CLI (dist/), not the TypeScript
 * sources: built, staged without src/, it generates and checks a federation.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  buildPublishedPackages,
  stagePublishedCli,
} from './__testUtils__/publishedCli';

jest.setTimeout(240_000);

describe('published fl-security bin', () => {
  let dir: string;
  let cli: ReturnType<typeof stagePublishedCli>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fl-published-'));
    buildPublishedPackages();
    cli = stagePublishedCli(join(dir, 'install'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli.bin, ...args], {
      env: cli.env,
      encoding: 'utf8',
    });

  it('has no sources to fall back to', () => {
    const packageDir = join(cli.bin, '..', '..');
    expect(existsSync(join(packageDir, 'dist', 'cli.cjs.js'))).toBe(true);
    expect(existsSync(join(packageDir, 'src'))).toBe(false);
  });

  it('generates the example federation and checks it from dist', () => {
    const out = join(dir, 'project');
    const generated = run(
      'generate',
      '--spec',
      join(REPO_ROOT, 'examples', 'federation.yaml'),
      '--out',
      out,
    );
    expect(generated.stderr).toBe('');
    expect(generated.status).toBe(0);
    expect(generated.stdout).toMatch(/wrote \d+ file\(s\)/);

    const checked = run('check', join(out, 'deploy'), '--format', 'json');
    expect(checked.stderr).toBe('');
    // Certificates are not issued offline: those rules cannot evaluate, and
    // by default that fails the gate (exit 1), with no rule failing.
    const report = JSON.parse(checked.stdout);
    expect(report.summary.fail).toBe(0);
    expect(report.summary.pass).toBeGreaterThan(0);
    expect(checked.status).toBe(report.summary.error > 0 ? 1 : 0);

    const text = run('check', join(out, 'deploy'), '--fail-on', 'fail');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/Federation demo-federation: \d+ pass/);
  });

  it('reports bad input with file and line, exit 2, no stack trace', () => {
    const broken = join(REPO_ROOT, 'plugins/fl-security-node/package.json');
    const result = run('check', join(dir, 'missing'), broken);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot read .*missing: ENOENT/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
