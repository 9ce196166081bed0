/**
 * Scaffolder action `fl-security:generate`: validates the federation spec
 * from the template form and writes the secured FL deployment (deploy/ and
 * federation.yaml) into the workspace.
 *
 * Idempotent: re-running over its own output is a no-op (task recovery may
 * re-run a step). An existing file with different content is never replaced
 * unless `overwrite` is set; the action then fails and writes nothing.
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  generateFromInput,
  WriteConflictError,
  writeGeneratedFiles,
} from '@fl-security/plugin-fl-security-node';
import { posix } from 'node:path';
import { examples } from './generate.examples';

export const GENERATE_ACTION_ID = 'fl-security:generate';

export function createGenerateAction() {
  return createTemplateAction({
    id: GENERATE_ACTION_ID,
    description:
      'Generates an end-to-end encrypted Flower federation for Kubernetes (namespaces, SuperLink, SuperNodes, cert-manager or Vault PKI, default-deny NetworkPolicies, TLS passthrough, portal RBAC) from a federation spec',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        spec: z =>
          z
            .record(z.unknown())
            .describe('Federation spec (see examples/federation.yaml); validated before anything is written'),
        targetPath: z =>
          z.string().optional().describe('Workspace sub-directory to write into (default: the workspace root)'),
        overwrite: z =>
          z.boolean().optional().describe('Replace existing files whose content differs (default false)'),
      },
      output: {
        files: z => z.array(z.string()).describe('Paths written or already up to date, relative to the workspace'),
        annotations: z => z.record(z.string()).describe('Annotations for the catalog entity'),
        federation: z => z.string().describe('Federation name (backstage.io/kubernetes-id)'),
      },
    },
    async handler(ctx) {
      const result = generateFromInput(ctx.input.spec);
      if (!result.ok) {
        throw new InputError(`Invalid federation spec:\n${result.errors.join('\n')}`);
      }
      const targetPath = ctx.input.targetPath ?? '.';
      const root = resolveSafeChildPath(ctx.workspacePath, targetPath);
      let plan;
      try {
        plan = await writeGeneratedFiles(root, result.files, { overwrite: ctx.input.overwrite });
      } catch (error) {
        if (error instanceof WriteConflictError) {
          throw new ConflictError(`${error.message}; set overwrite: true to replace them`);
        }
        throw error;
      }
      ctx.logger.info(
        `fl-security: federation ${result.spec.name}: ${plan.created.length} created, ` +
          `${plan.changed.length} replaced, ${plan.unchanged.length} unchanged`,
      );
      const prefix = posix.normalize(targetPath.split('\\').join('/'));
      ctx.output(
        'files',
        result.files.map(file => (prefix === '.' ? file.path : posix.join(prefix, file.path))),
      );
      ctx.output('annotations', result.annotations);
      ctx.output('federation', result.spec.name);
    },
  });
}
