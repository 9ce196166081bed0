/** The shape of a rule: metadata lives in the common catalogue, logic here. */
import type {
  CheckStatus,
  ResourceRef,
  RuleId,
} from '@fl-security/plugin-fl-security-common';
import type { Federation } from '../model/federation';
import type { Thresholds } from '../types';

export interface RuleContext {
  federation: Federation;
  now: Date;
  thresholds: Thresholds;
}

/** One result before the engine adds rule id, severity and default remediation. */
export interface Finding {
  status: CheckStatus;
  resource: ResourceRef;
  message: string;
  /** Overrides the catalogue remediation when more specific. */
  remediation?: string;
}

export interface Rule {
  id: RuleId;
  evaluate(context: RuleContext): Finding[];
}
