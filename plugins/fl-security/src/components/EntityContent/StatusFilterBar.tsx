import type {
  CheckStatus,
  StatusSummary,
} from '@fl-security/plugin-fl-security-common';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import type { StatusFilter } from '../../lib/grouping';
import { STATUS_LABELS, STATUS_ORDER } from '../../lib/status';

/** One status or all, each with its count. */
export function StatusFilterBar(props: {
  value: StatusFilter;
  summary: StatusSummary;
  onChange(value: StatusFilter): void;
}) {
  const { value, summary, onChange } = props;
  const total = STATUS_ORDER.reduce((sum, s) => sum + summary[s], 0);
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      aria-label="Filter results by status"
      onChange={(_event, next: StatusFilter | null) => {
        // Clicking the selected button deselects it; fall back to all.
        onChange(next ?? 'all');
      }}
    >
      <ToggleButton value="all" aria-label={`All (${total})`}>
        All ({total})
      </ToggleButton>
      {STATUS_ORDER.map((status: CheckStatus) => (
        <ToggleButton
          key={status}
          value={status}
          aria-label={`${STATUS_LABELS[status]} (${summary[status]})`}
        >
          {STATUS_LABELS[status]} ({summary[status]})
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
