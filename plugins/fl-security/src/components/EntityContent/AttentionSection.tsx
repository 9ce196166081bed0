import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import type { DisplayedResult } from '../../lib/grouping';
import { ATTENTION_STATUSES } from '../../lib/failFirst';
import { STATUS_LABELS } from '../../lib/status';
import { ResultsTable } from './ResultsTable';

const HEADING_ID = 'fl-security-attention';

/** Failing, erroring and warning results of every area, worst first. */
export function AttentionSection(props: {
  items: readonly DisplayedResult[];
  docsUrl?: string;
  newFailures?: ReadonlySet<string>;
}) {
  const { items, docsUrl, newFailures } = props;
  const counts = ATTENTION_STATUSES.map(status => ({
    status,
    count: items.filter(item => item.result.status === status).length,
  })).filter(c => c.count > 0);
  return (
    <Paper
      component="section"
      aria-labelledby={HEADING_ID}
      data-testid="attention-section"
      variant="outlined"
      style={{ marginBottom: 16 }}
    >
      <Typography
        id={HEADING_ID}
        variant="h6"
        style={{ padding: '12px 16px 0' }}
      >
        Needs attention ({items.length})
      </Typography>
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ padding: '0 16px 8px' }}
      >
        {items.length === 0
          ? 'No failing, erroring or warning result.'
          : counts
              .map(c => `${c.count} ${STATUS_LABELS[c.status].toLowerCase()}`)
              .join(' · ')}
      </Typography>
      {items.length > 0 && (
        <ResultsTable
          items={items}
          labelledBy={HEADING_ID}
          showArea
          docsUrl={docsUrl}
          newFailures={newFailures}
        />
      )}
    </Paper>
  );
}
