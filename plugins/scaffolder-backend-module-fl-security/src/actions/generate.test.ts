import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { flowerProcesses } from '@fl-security/plugin-fl-security-node';
import { parseFederationSpec } from '@fl-security/plugin-fl-security-common';
import { HOSTILE_CASES } from '@fl-security/plugin-fl-security-node/testUtils';
import { listFiles } from '../__testUtils__/files';
import { createGenerateAction } from './generate';

const spec = {
  name: 'demo',
  participants: [{ name: 'site-a' }, { name: 'site-b' }],
  network: { exposure: 'ingress-nginx', externalHost: 'fl.example.com' },
};

describe('fl-security:generate', () => {
  const action = createGenerateAction();
  let workspacePath: string;

  beforeEach(async () => {
    workspacePath = await mkdtemp(join(tmpdir(), 'flsec-action-'));
  });
  afterEach(async () => rm(workspacePath, { recursive: true, force: true }));

  it('declares dry-run support and its id', () => {
    expect(action.id).toBe('fl-security:generate');
    expect(action.supportsDryRun).toBe(true);
  });

  it('writes the project, outputs files and annotations', async () => {
    const ctx = createMockActionContext({ input: { spec }, workspacePath });
    await action.handler(ctx);
    const written = await listFiles(workspacePath);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.files).toEqual(written);
    expect(written).toContain('deploy/aggregator/superlink.yaml');
    expect(written).toContain('deploy/participants/site-b/supernode.yaml');
    expect(outputs.annotations).toEqual({
      'backstage.io/kubernetes-id': 'demo',
      'backstage.io/kubernetes-namespace': 'demo-aggregator',
      'fl-security/namespaces': 'demo-aggregator,demo-site-a,demo-site-b',
    });
    expect(outputs.federation).toBe('demo');
    const deployment = await readFile(join(workspacePath, 'deploy/aggregator/superlink.yaml'), 'utf8');
    for (const arg of flowerProcesses(parseFederationSpec(spec)).aggregator.args) {
      expect(deployment).toContain(arg);
    }
  });

  it('is a no-op when re-run over its own output', async () => {
    await action.handler(createMockActionContext({ input: { spec }, workspacePath }));
    const before = await listFiles(workspacePath);
    const contents = await Promise.all(before.map(f => readFile(join(workspacePath, f), 'utf8')));
    const ctx = createMockActionContext({ input: { spec }, workspacePath });
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);
    expect(await listFiles(workspacePath)).toEqual(before);
    expect(await Promise.all(before.map(f => readFile(join(workspacePath, f), 'utf8')))).toEqual(contents);
    expect(info).toHaveBeenCalledWith(expect.stringContaining('0 created, 0 replaced'));
  });

  it('refuses to replace a different existing file and writes nothing', async () => {
    await writeFile(join(workspacePath, 'federation.yaml'), 'name: mine\n');
    const ctx = createMockActionContext({ input: { spec }, workspacePath });
    await expect(action.handler(ctx)).rejects.toThrow(
      'refusing to overwrite 1 existing file(s) with different content: federation.yaml; set overwrite: true to replace them',
    );
    expect(await listFiles(workspacePath)).toEqual(['federation.yaml']);
    const forced = createMockActionContext({ input: { spec, overwrite: true }, workspacePath });
    await action.handler(forced);
    expect(await readFile(join(workspacePath, 'federation.yaml'), 'utf8')).toContain('name: demo');
  });

  it('writes under targetPath and reports paths relative to the workspace', async () => {
    const ctx = createMockActionContext({ input: { spec, targetPath: 'infra' }, workspacePath });
    await action.handler(ctx);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.files).toEqual(await listFiles(workspacePath));
    expect(outputs.files.every((f: string) => f.startsWith('infra/'))).toBe(true);
  });

  it('refuses a targetPath outside the workspace', async () => {
    const ctx = createMockActionContext({ input: { spec, targetPath: '../escape' }, workspacePath });
    await expect(action.handler(ctx)).rejects.toThrow(/outside/);
    expect(await readdir(workspacePath)).toEqual([]);
  });

  const objectCases = HOSTILE_CASES.filter(c => c.spec !== undefined && typeof c.spec === 'object' && !Array.isArray(c.spec));

  it(`runs at least 30 hostile specs through the action (${objectCases.length})`, () => {
    expect(objectCases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(objectCases.map(c => [c.label, c] as const))('rejects %s and writes nothing', async (_label, hostile) => {
    const ctx = createMockActionContext({ input: { spec: hostile.spec as any }, workspacePath });
    const error: Error = await action.handler(ctx).then(
      () => {
        throw new Error('expected a rejection');
      },
      e => e,
    );
    expect(error.message.split('\n')).toEqual(['Invalid federation spec:', ...hostile.expected]);
    expect(ctx.output).not.toHaveBeenCalled();
    expect(await readdir(workspacePath)).toEqual([]);
  });
});
