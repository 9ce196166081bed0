import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import {
  type AreaGroup,
  type DisplayedResult,
  type StatusFilter,
  groupByArea,
} from './grouping';

/** Statuses someone has to act on: listed first, never collapsed. */
export const ATTENTION_STATUSES: readonly CheckStatus[] = [
  'fail',
  'error',
  'warn',
];

/** An area's passing and skipped results, shown collapsed with counts. */
export interface SettledGroup extends AreaGroup {
  passed: number;
  skipped: number;
}

export interface FailFirstView {
  /** Failing, erroring and warning results of every area, worst first. */
  attention: DisplayedResult[];
  /** Passing and skipped results per area, in the fixed area order. */
  settled: SettledGroup[];
}

export function needsAttention(status: CheckStatus): boolean {
  return ATTENTION_STATUSES.includes(status);
}

/**
 * Splits prepared (worst-first) results into what needs attention and what
 * does not; the status filter applies to both.
 */
export function failFirst(
  prepared: readonly DisplayedResult[],
  filter: StatusFilter,
): FailFirstView {
  const attention: DisplayedResult[] = [];
  const rest: DisplayedResult[] = [];
  for (const item of prepared) {
    if (filter !== 'all' && item.result.status !== filter) continue;
    (needsAttention(item.result.status) ? attention : rest).push(item);
  }
  const settled = groupByArea(rest, 'all').map(group => {
    let passed = 0;
    for (const item of group.results)
      if (item.result.status === 'pass') passed++;
    return { ...group, passed, skipped: group.results.length - passed };
  });
  return { attention, settled };
}
