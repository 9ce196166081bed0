import { getRuleMetadata } from '@fl-security/plugin-fl-security-common';
import { type DisplayArea, OTHER_AREA } from './areas';

/** What the tab shows about a rule besides its result. */
export interface RuleInfo {
  id: string;
  title: string;
  area: DisplayArea;
  rationale?: string;
  /** What to change when the rule fails, in general terms. */
  remediation?: string;
}

/**
 * Metadata of a rule by id. Rules this frontend does not know (a newer
 * backend) are still shown, under "Other checks", titled by their id.
 */
export function ruleInfo(ruleId: string): RuleInfo {
  const rule = getRuleMetadata(ruleId);
  if (!rule) return { id: ruleId, title: ruleId, area: OTHER_AREA };
  return {
    id: rule.id,
    title: rule.title,
    area: rule.area,
    rationale: rule.rationale,
    remediation: rule.remediation,
  };
}
