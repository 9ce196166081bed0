/**
 * Test fixtures of the generator for other packages' tests: spec variants
 * covering every option, and the hostile-input table with expected messages.
 *
 * @packageDocumentation
 */
export { HOSTILE_CASES } from './generator/testing/hostileInputs';
export type { HostileCase } from './generator/testing/hostileInputs';
export { smallSpec, specVariants } from './generator/testing/specs';
