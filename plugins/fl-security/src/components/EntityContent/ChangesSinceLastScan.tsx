import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import type {
  ReportChanges,
  RuleResultRef,
} from '@fl-security/plugin-fl-security-common';
import { resultKey } from '../../lib/changes';
import { ruleInfo } from '../../lib/ruleInfo';
import { relativeTime } from '../../lib/time';
import { resourceLabel } from './RuleResultRow';

function RefList(props: {
  title: string;
  refs: readonly RuleResultRef[];
  testId: string;
}) {
  const { title, refs, testId } = props;
  return (
    <div data-testid={testId}>
      <Typography variant="subtitle2" component="h3">
        {title} ({refs.length})
      </Typography>
      {refs.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          None.
        </Typography>
      ) : (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {refs.map(ref => (
            <li key={resultKey(ref)}>
              <Typography variant="body2" component="span">
                {ruleInfo(ref.ruleId).title} ({ref.ruleId}) ·{' '}
                {resourceLabel(ref.resource)}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** New failures and fixed results against the previous stored report. */
export function ChangesSinceLastScan(props: { changes: ReportChanges }) {
  const { changes } = props;
  return (
    <Paper
      component="section"
      aria-labelledby="fl-security-changes"
      data-testid="fl-security-changes"
      variant="outlined"
      style={{ padding: '12px 16px', display: 'grid', gap: 8 }}
    >
      <Typography id="fl-security-changes" variant="h6">
        Changed since the previous scan (
        {relativeTime(changes.previousGeneratedAt)})
      </Typography>
      <RefList
        title="New failures"
        refs={changes.newFailures}
        testId="changes-new"
      />
      <RefList title="Fixed" refs={changes.fixed} testId="changes-fixed" />
    </Paper>
  );
}
