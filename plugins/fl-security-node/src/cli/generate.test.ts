import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from './main';
import { HOSTILE_CASES } from '../generator/__testUtils__/hostileInputs';

const ROOT = join(__dirname, '..', '..', '..', '..');

async function runCli(args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    stdout.push(String(chunk));
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    const code = await main(['node', 'fl-security', ...args]);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('fl-security generate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flsec-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates the documented example and is a no-op the second time', async () => {
    const out = join(dir, 'out');
    const spec = join(ROOT, 'examples', 'federation.yaml');
    const first = await runCli(['generate', '--spec', spec, '--out', out]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^wrote \d+ file\(s\) to .* \(0 unchanged\) for federation demo-federation\n$/);
    const files = await readdir(join(out, 'deploy', 'participants'));
    expect(files.sort()).toEqual(['clinic-c', 'hospital-a', 'hospital-b', 'kustomization.yaml']);
    const second = await runCli(['generate', '--spec', spec, '--out', out]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^wrote 0 file\(s\) .* unchanged\)/);
  });

  it('refuses to overwrite a changed file (exit 1) unless --overwrite', async () => {
    const out = join(dir, 'out');
    const spec = join(ROOT, 'examples', 'federation.yaml');
    await runCli(['generate', '--spec', spec, '--out', out]);
    const edited = join(out, 'deploy', 'aggregator', 'superlink.yaml');
    await writeFile(edited, 'hand edit\n');
    const refused = await runCli(['generate', '--spec', spec, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to overwrite 1 existing file(s) with different content: deploy/aggregator/superlink.yaml');
    expect(await readFile(edited, 'utf8')).toBe('hand edit\n');
    const forced = await runCli(['generate', '--spec', spec, '--out', out, '--overwrite']);
    expect(forced.code).toBe(0);
    expect(await readFile(edited, 'utf8')).toContain('flower-superlink');
  });

  it('exits 2 for a missing spec file and writes nothing', async () => {
    const out = join(dir, 'out');
    const result = await runCli(['generate', '--spec', join(dir, 'nope.yaml'), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^fl-security generate: cannot read spec .*nope\.yaml: ENOENT\n$/);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('exits 2 on usage errors', async () => {
    const result = await runCli(['generate', '--spec', 'x.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--out <dir>' not specified");
  });

  it(`has a table of at least 30 hostile inputs (${HOSTILE_CASES.length})`, () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE_CASES.map(c => [c.label, c] as const))(
    'rejects %s: exit 2, one line per problem, nothing written',
    async (_label, hostile) => {
      const specPath = join(dir, 'spec.yaml');
      await writeFile(specPath, hostile.yaml ?? stringify(hostile.spec));
      const out = join(dir, 'out');
      const result = await runCli(['generate', '--spec', specPath, '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toEqual(hostile.expected.map(line => `invalid spec: ${line}`));
      expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
      await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );
});
