import type {
  CheckStatus,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import { AREA_ORDER, AREA_TITLES, type DisplayArea } from './areas';
import { type RuleInfo, ruleInfo } from './ruleInfo';
import { SEVERITY_ORDER, STATUS_ORDER } from './status';

/** A result with its rule metadata, ready to display. */
export interface DisplayedResult {
  /** Stable key: position in the report. */
  key: string;
  result: RuleResult;
  rule: RuleInfo;
}

export interface AreaGroup {
  area: DisplayArea;
  title: string;
  results: DisplayedResult[];
}

/** Status filter of the tab: one status, or everything. */
export type StatusFilter = CheckStatus | 'all';

/**
 * Attaches rule metadata and sorts worst first (status, then severity). Run
 * once per report; filtering then only walks the prepared list.
 */
export function prepareResults(
  results: readonly RuleResult[],
  lookup: (ruleId: string) => RuleInfo = ruleInfo,
): DisplayedResult[] {
  const cache = new Map<string, RuleInfo>();
  const prepared = results.map((result, index) => {
    let rule = cache.get(result.ruleId);
    if (!rule) {
      rule = lookup(result.ruleId);
      cache.set(result.ruleId, rule);
    }
    return { key: String(index), result, rule };
  });
  return prepared.sort(compareDisplayed);
}

/** Groups in the fixed area order; areas without results are left out. */
export function groupByArea(
  results: readonly DisplayedResult[],
  filter: StatusFilter,
): AreaGroup[] {
  const byArea = new Map<DisplayArea, DisplayedResult[]>();
  for (const item of results) {
    if (filter !== 'all' && item.result.status !== filter) continue;
    const bucket = byArea.get(item.rule.area);
    if (bucket) bucket.push(item);
    else byArea.set(item.rule.area, [item]);
  }
  return AREA_ORDER.filter(area => byArea.has(area)).map(area => ({
    area,
    title: AREA_TITLES[area],
    results: byArea.get(area)!,
  }));
}

function compareDisplayed(a: DisplayedResult, b: DisplayedResult): number {
  return (
    STATUS_ORDER.indexOf(a.result.status) -
      STATUS_ORDER.indexOf(b.result.status) ||
    SEVERITY_ORDER.indexOf(a.result.severity) -
      SEVERITY_ORDER.indexOf(b.result.severity) ||
    a.rule.title.localeCompare(b.rule.title) ||
    Number(a.key) - Number(b.key)
  );
}
