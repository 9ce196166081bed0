import { useMemo } from 'react';
import Typography from '@material-ui/core/Typography';
import type { RuleResult } from '@fl-security/plugin-fl-security-common';
import { prepareResults } from '../../lib/grouping';
import { STATUS_LABELS } from '../../lib/status';

/** Failing and erroring results named on the card, worst first. */
export const TOP_FAILURES = 3;

/** The worst failing or erroring rules, so the card says what is wrong. */
export function TopFailures(props: { results: readonly RuleResult[] }) {
  const failing = useMemo(
    () =>
      prepareResults(
        props.results.filter(r => r.status === 'fail' || r.status === 'error'),
      ),
    [props.results],
  );
  if (failing.length === 0) return null;
  const shown = failing.slice(0, TOP_FAILURES);
  return (
    <div data-testid="fl-security-top-failures">
      <Typography variant="subtitle2" component="h3">
        Failing ({failing.length})
      </Typography>
      <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
        {shown.map(item => (
          <li key={item.key}>
            <Typography variant="body2" component="span">
              {STATUS_LABELS[item.result.status]}: {item.rule.title} (
              {item.rule.id}) · {item.result.resource.kind}{' '}
              {item.result.resource.name}
            </Typography>
          </li>
        ))}
      </ul>
      {failing.length > shown.length && (
        <Typography variant="caption" color="textSecondary">
          and {failing.length - shown.length} more on the FL Security tab
        </Typography>
      )}
    </div>
  );
}
