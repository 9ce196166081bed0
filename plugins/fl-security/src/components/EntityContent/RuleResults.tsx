import { useCallback, useMemo, useState } from 'react';
import Typography from '@material-ui/core/Typography';
import type {
  RuleResult,
  StatusSummary,
} from '@fl-security/plugin-fl-security-common';
import {
  type StatusFilter,
  groupByArea,
  prepareResults,
} from '../../lib/grouping';
import { STATUS_LABELS } from '../../lib/status';
import { AREA_MORE_SIZE, AREA_PAGE_SIZE, AreaSection } from './AreaSection';
import { StatusFilterBar } from './StatusFilterBar';

/** Results grouped by area with a status filter. */
export function RuleResults(props: {
  results: readonly RuleResult[];
  summary: StatusSummary;
}) {
  const { results, summary } = props;
  const [filter, setFilter] = useState<StatusFilter>('all');
  // Rows shown per area beyond the first page; reset when the filter changes.
  const [limits, setLimits] = useState<Record<string, number>>({});
  // Metadata lookup and sorting once per report; filtering only regroups.
  const prepared = useMemo(() => prepareResults(results), [results]);
  const groups = useMemo(
    () => groupByArea(prepared, filter),
    [prepared, filter],
  );
  const changeFilter = useCallback((next: StatusFilter) => {
    setFilter(next);
    setLimits({});
  }, []);
  const showMore = useCallback((area: string) => {
    setLimits(current => ({
      ...current,
      [area]: (current[area] ?? AREA_PAGE_SIZE) + AREA_MORE_SIZE,
    }));
  }, []);

  return (
    <section aria-label="Rule results">
      <div style={{ marginBottom: 16 }}>
        <StatusFilterBar
          value={filter}
          summary={summary}
          onChange={changeFilter}
        />
      </div>
      {groups.length === 0 ? (
        <Typography variant="body2" data-testid="fl-security-filter-empty">
          No result with status{' '}
          {filter === 'all' ? 'any' : STATUS_LABELS[filter]}.
        </Typography>
      ) : (
        groups.map(group => (
          <AreaSection
            key={group.area}
            group={group}
            limit={limits[group.area] ?? AREA_PAGE_SIZE}
            onShowMore={showMore}
          />
        ))
      )}
    </section>
  );
}
