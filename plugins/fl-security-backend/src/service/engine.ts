import * as flSecurityNode from '@fl-security/plugin-fl-security-node';
import { Evaluate } from './ReportService';

/**
 * The engine's evaluateFederation. Looked up at call time while the engine
 * is being added to @fl-security/plugin-fl-security-node; without it every
 * report says so (status unknown), nothing passes silently.
 */
export const evaluateFederation: Evaluate = input => {
  const engine = (flSecurityNode as { evaluateFederation?: Evaluate })
    .evaluateFederation;
  if (!engine) {
    throw new Error('evaluateFederation is not exported by @fl-security/plugin-fl-security-node');
  }
  return engine(input);
};
