/**
 * Test fixtures of the generator for other packages' tests: spec variants
 * covering every option, and the hostile-input table with expected messages.
 * This is the package's `./testUtils` entry: it alone may re-export the
 * private __testUtils__ helpers.
 *
 * @packageDocumentation
 */
/* eslint-disable no-restricted-imports */
export { HOSTILE_CASES } from './generator/__testUtils__/hostileInputs';
export type { HostileCase } from './generator/__testUtils__/hostileInputs';
export { smallSpec, specVariants } from './generator/__testUtils__/specs';
