import { memo, useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { ResourceRef } from '@fl-security/plugin-fl-security-common';
import type { DisplayedResult } from '../../lib/grouping';
import { SeverityChip, StatusChip } from '../common/StatusChip';

export const RULE_TABLE_COLUMNS = 6;

export function resourceLabel(resource: ResourceRef): string {
  return [resource.cluster, resource.namespace, resource.kind, resource.name]
    .filter(Boolean)
    .join(' / ');
}

/** One result; the remediation opens below it on demand. */
export const RuleResultRow = memo(function RuleResultRowComponent(props: {
  item: DisplayedResult;
}) {
  const { result, rule } = props.item;
  const [open, setOpen] = useState(false);
  const detailId = `fl-security-detail-${props.item.key}`;
  return (
    <>
      <TableRow hover data-testid="rule-result">
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-expanded={open}
            aria-controls={open ? detailId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} details of ${rule.title}`}
            onClick={() => setOpen(o => !o)}
          >
            {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
          </IconButton>
        </TableCell>
        <TableCell>
          <StatusChip status={result.status} />
        </TableCell>
        <TableCell>
          <SeverityChip severity={result.severity} />
        </TableCell>
        <TableCell>
          <Typography variant="body2">{rule.title}</Typography>
          {rule.title !== rule.id && (
            <Typography variant="caption" color="textSecondary">
              {rule.id}
            </Typography>
          )}
        </TableCell>
        <TableCell>
          <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
            {resourceLabel(result.resource)}
          </Typography>
        </TableCell>
        <TableCell>
          <Typography variant="body2">{result.message}</Typography>
        </TableCell>
      </TableRow>
      {open && (
        <TableRow id={detailId} data-testid="rule-detail">
          <TableCell />
          <TableCell colSpan={RULE_TABLE_COLUMNS - 1}>
            <Typography variant="subtitle2">Remediation</Typography>
            <Typography
              variant="body2"
              paragraph
              style={{ whiteSpace: 'pre-wrap' }}
            >
              {result.remediation || 'No remediation given.'}
            </Typography>
            {rule.rationale && (
              <>
                <Typography variant="subtitle2">Why it matters</Typography>
                <Typography variant="body2" paragraph>
                  {rule.rationale}
                </Typography>
              </>
            )}
            <Typography variant="caption" color="textSecondary">
              Rule {rule.id} · {result.resource.kind} {result.resource.name}
              {result.resource.namespace && ` in ${result.resource.namespace}`}
              {result.resource.cluster && ` on ${result.resource.cluster}`}
            </Typography>
          </TableCell>
        </TableRow>
      )}
    </>
  );
});
