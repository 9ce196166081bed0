/**
 * Scaffolder backend module with the `fl-security:generate` action.
 *
 * @packageDocumentation
 */
export { scaffolderModuleFlSecurity as default } from './module';
export { createGenerateAction, GENERATE_ACTION_ID } from './actions/generate';
