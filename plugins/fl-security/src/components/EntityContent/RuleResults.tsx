import { useMemo, useState } from 'react';
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
import { AreaSection } from './AreaSection';
import { StatusFilterBar } from './StatusFilterBar';

/** Results grouped by area with a status filter. */
export function RuleResults(props: {
  results: readonly RuleResult[];
  summary: StatusSummary;
}) {
  const { results, summary } = props;
  const [filter, setFilter] = useState<StatusFilter>('all');
  // Metadata lookup and sorting once per report; filtering only regroups.
  const prepared = useMemo(() => prepareResults(results), [results]);
  const groups = useMemo(
    () => groupByArea(prepared, filter),
    [prepared, filter],
  );

  return (
    <section aria-label="Rule results">
      <div style={{ marginBottom: 16 }}>
        <StatusFilterBar
          value={filter}
          summary={summary}
          onChange={setFilter}
        />
      </div>
      {groups.length === 0 ? (
        <Typography variant="body2" data-testid="fl-security-filter-empty">
          No result with status{' '}
          {filter === 'all' ? 'any' : STATUS_LABELS[filter]}.
        </Typography>
      ) : (
        groups.map(group => (
          // Keyed by filter too, so paging restarts when the filter changes.
          <AreaSection key={`${group.area}:${filter}`} group={group} />
        ))
      )}
    </section>
  );
}
