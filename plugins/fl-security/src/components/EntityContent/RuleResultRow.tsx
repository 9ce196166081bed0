import { memo, useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { ResourceRef } from '@fl-security/plugin-fl-security-common';
import type { DisplayedResult } from '../../lib/grouping';
import { SeverityChip, StatusChip } from '../common/StatusChip';

export const RULE_TABLE_COLUMNS = 6;

const useStyles = makeStyles((theme: Theme) => ({
  secondary: {
    display: 'block',
    color: theme.palette.text.secondary,
    fontSize: theme.typography.pxToRem(12),
  },
  resource: { wordBreak: 'break-word' },
  heading: {
    ...theme.typography.subtitle2,
    margin: theme.spacing(1, 0, 0.5),
  },
  text: {
    ...theme.typography.body2,
    margin: 0,
    whiteSpace: 'pre-wrap',
  },
}));

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
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const detailId = `fl-security-detail-${props.item.key}`;
  return (
    <>
      <TableRow data-testid="rule-result">
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            disableRipple
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
          {rule.title}
          {rule.title !== rule.id && (
            <span className={classes.secondary}>{rule.id}</span>
          )}
        </TableCell>
        <TableCell className={classes.resource}>
          {resourceLabel(result.resource)}
        </TableCell>
        <TableCell>{result.message}</TableCell>
      </TableRow>
      {open && (
        <TableRow id={detailId} data-testid="rule-detail">
          <TableCell />
          <TableCell colSpan={RULE_TABLE_COLUMNS - 1}>
            <h4 className={classes.heading}>Remediation</h4>
            <p className={classes.text}>
              {result.remediation || 'No remediation given.'}
            </p>
            {rule.rationale && (
              <>
                <h4 className={classes.heading}>Why it matters</h4>
                <p className={classes.text}>{rule.rationale}</p>
              </>
            )}
            <span className={classes.secondary} style={{ marginTop: 8 }}>
              Rule {rule.id} · {result.resource.kind} {result.resource.name}
              {result.resource.namespace && ` in ${result.resource.namespace}`}
              {result.resource.cluster && ` on ${result.resource.cluster}`}
            </span>
          </TableCell>
        </TableRow>
      )}
    </>
  );
});
