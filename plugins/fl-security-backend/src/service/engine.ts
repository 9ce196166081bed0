import { evaluateFederation as engineEvaluateFederation } from '@fl-security/plugin-fl-security-node';
import { Evaluate } from './ReportService';

/** The compliance engine's evaluation of one federation. */
export const evaluateFederation: Evaluate = input =>
  engineEvaluateFederation(input);
