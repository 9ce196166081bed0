import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planWrite, safeTarget, WriteConflictError, writeGeneratedFiles } from './writeFiles';

describe('writeGeneratedFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flsec-write-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const files = [
    { path: 'deploy/a.yaml', content: 'a: 1\n' },
    { path: 'federation.yaml', content: 'name: x\n' },
  ];

  it('creates files, then treats identical re-runs as a no-op', async () => {
    expect(await writeGeneratedFiles(dir, files)).toEqual({ created: ['deploy/a.yaml', 'federation.yaml'], changed: [], unchanged: [] });
    expect(await readFile(join(dir, 'deploy/a.yaml'), 'utf8')).toBe('a: 1\n');
    expect(await writeGeneratedFiles(dir, files)).toEqual({ created: [], changed: [], unchanged: ['deploy/a.yaml', 'federation.yaml'] });
  });

  it('writes nothing at all when one file conflicts', async () => {
    await writeFile(join(dir, 'federation.yaml'), 'mine\n');
    await expect(writeGeneratedFiles(dir, files)).rejects.toBeInstanceOf(WriteConflictError);
    expect(await readdir(dir)).toEqual(['federation.yaml']);
    expect(await readFile(join(dir, 'federation.yaml'), 'utf8')).toBe('mine\n');
  });

  it('replaces conflicting files with overwrite', async () => {
    await writeFile(join(dir, 'federation.yaml'), 'mine\n');
    const plan = await writeGeneratedFiles(dir, files, { overwrite: true });
    expect(plan.changed).toEqual(['federation.yaml']);
    expect(await readFile(join(dir, 'federation.yaml'), 'utf8')).toBe('name: x\n');
  });

  it('plans without touching the disk in dry-run mode', async () => {
    const plan = await writeGeneratedFiles(dir, files, { dryRun: true });
    expect(plan.created).toHaveLength(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses to write through a symbolic link', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'flsec-outside-'));
    try {
      await symlink(outside, join(dir, 'deploy'));
      await expect(planWrite(dir, files)).rejects.toThrow('refusing to write through a symbolic link: deploy');
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses a directory where a file should be', async () => {
    await mkdir(join(dir, 'federation.yaml'));
    await expect(planWrite(dir, files)).rejects.toThrow('output path exists and is not a file: federation.yaml');
  });

  it.each(['../x', '/etc/passwd', 'a/../../x', 'a\\b', './a', 'a//b'])('rejects the unsafe path %s', path => {
    expect(() => safeTarget(dir, path)).toThrow('unsafe output path');
  });
});
