import { createApp } from '@backstage/frontend-defaults';
import { signInModule } from './modules/signIn';

/**
 * Plugins are discovered from this package's dependencies
 * (`app.packages: all` in app-config.yaml); modules here only add what the
 * plugins don't bring themselves.
 */
export default createApp({
  features: [signInModule],
});
