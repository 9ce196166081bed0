/**
 * Isomorphic types, rule metadata, permissions and the federation spec of the
 * FL security plugins.
 *
 * @packageDocumentation
 */
export * from './report';
export * from './labels';
export * from './permissions';
export * from './rules';
export * from './remediationDocs';
export * from './api';
export * from './reportChanges';
export * from './spec';
export * from './entity';
