/**
 * Backend plugin of FL security: compliance reports of federated-learning
 * entities, read from their Kubernetes clusters.
 *
 * @packageDocumentation
 */
export { flSecurityPlugin as default } from './plugin';
