/**
 * Seeds a real API server with a generated federation: the local demo of
 * `make start` and the fixture of the integration tests.
 *
 * @packageDocumentation
 */
export { seedFederation, requestServiceAccountToken } from './seedFederation';
export type { SeededFederation, SeedOptions } from './seedFederation';
export { clusterBundles, seedCrossSiloFederation } from './seedCrossSilo';
export type { SeededCrossSilo } from './seedCrossSilo';
