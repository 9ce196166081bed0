import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGenerateAction } from './actions/generate';

/** Adds the `fl-security:generate` action to the scaffolder. */
export const scaffolderModuleFlSecurity = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'fl-security',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(createGenerateAction());
      },
    });
  },
});
