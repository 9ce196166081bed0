/**
 * Every example the action advertises runs: its step names this action, its
 * input validates, and the handler writes the project it describes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { listFiles } from '../__testUtils__/files';
import { createGenerateAction, GENERATE_ACTION_ID } from './generate';
import { examples } from './generate.examples';

describe('fl-security:generate examples', () => {
  const action = createGenerateAction();
  let workspacePath: string;

  beforeEach(async () => {
    workspacePath = await mkdtemp(join(tmpdir(), 'flsec-examples-'));
  });
  afterEach(async () => rm(workspacePath, { recursive: true, force: true }));

  it('are the examples the action advertises', () => {
    expect(action.examples).toBe(examples);
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const [step, ...rest] = parse(example.example).steps;
      expect(rest).toEqual([]);
      expect(step.action).toBe(GENERATE_ACTION_ID);
      const ctx = createMockActionContext({ input: step.input, workspacePath });
      await action.handler(ctx);
      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(outputs.federation).toBe(step.input.spec.name);
      expect(outputs.files).toEqual(await listFiles(workspacePath));
      const prefix = step.input.targetPath ? `${step.input.targetPath}/` : '';
      expect(outputs.files).toContain(
        `${prefix}deploy/aggregator/superlink.yaml`,
      );
      expect(outputs.files).toContain(`${prefix}federation.yaml`);
    },
  );
});
