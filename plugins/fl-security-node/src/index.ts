/**
 * Node library of the FL security plugins: the secured FL project generator
 * and the compliance engine.
 *
 * @packageDocumentation
 */
export * from './generator';
export * from './engine';
export { ManifestError, parseManifests } from './cli/loadManifests';
export type { LoadedManifests, SourceLocation } from './cli/loadManifests';
