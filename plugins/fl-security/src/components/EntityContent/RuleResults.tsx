import { useMemo } from 'react';
import Typography from '@material-ui/core/Typography';
import type {
  ReportChanges,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import { newFailureKeys } from '../../lib/changes';
import { failFirst } from '../../lib/failFirst';
import { type StatusFilter, prepareResults } from '../../lib/grouping';
import { STATUS_LABELS } from '../../lib/status';
import { AttentionSection } from './AttentionSection';
import { SettledAreas } from './SettledAreas';

/**
 * Fail first: what needs attention (fail, error, warn) in one table, then
 * passes and skips collapsed per area with their counts.
 */
export function RuleResults(props: {
  results: readonly RuleResult[];
  filter: StatusFilter;
  docsUrl?: string;
  changes?: ReportChanges;
}) {
  const { results, filter, docsUrl, changes } = props;
  // Metadata lookup and sorting once per report; filtering only splits.
  const prepared = useMemo(() => prepareResults(results), [results]);
  const view = useMemo(() => failFirst(prepared, filter), [prepared, filter]);
  const newFailures = useMemo(() => newFailureKeys(changes), [changes]);
  const empty = view.attention.length === 0 && view.settled.length === 0;

  return (
    // Keyed by the filter: a new filter starts from the first page, closed.
    <section aria-label="Rule results" key={filter}>
      {empty && filter !== 'all' ? (
        <Typography variant="body2" data-testid="fl-security-filter-empty">
          No result with status {STATUS_LABELS[filter]}.
        </Typography>
      ) : (
        <>
          {(filter === 'all' || view.attention.length > 0) && (
            <AttentionSection
              items={view.attention}
              docsUrl={docsUrl}
              newFailures={newFailures}
            />
          )}
          {view.settled.length > 0 && (
            <SettledAreas
              groups={view.settled}
              expanded={filter !== 'all'}
              docsUrl={docsUrl}
            />
          )}
        </>
      )}
    </section>
  );
}
