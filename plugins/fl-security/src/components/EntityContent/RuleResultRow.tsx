import { memo, useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import Link from '@material-ui/core/Link';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  REMEDIATION_DOCS_PATH,
  type ResourceRef,
} from '@fl-security/plugin-fl-security-common';
import { AREA_TITLES } from '../../lib/areas';
import type { DisplayedResult } from '../../lib/grouping';
import { ruleDocsUrl } from '../../lib/remediationDocs';
import { SeverityChip, StatusChip } from '../common/StatusChip';
import { useTableColumns } from './tableColumns';

const useStyles = makeStyles((theme: Theme) => ({
  secondary: {
    display: 'block',
    color: theme.palette.text.secondary,
    fontSize: theme.typography.pxToRem(12),
  },
  heading: {
    ...theme.typography.subtitle2,
    margin: theme.spacing(1, 0, 0.5),
  },
  text: {
    ...theme.typography.body2,
    margin: 0,
    whiteSpace: 'pre-wrap',
  },
  newBadge: {
    display: 'inline-block',
    marginLeft: theme.spacing(1),
    padding: '0 6px',
    borderRadius: 8,
    fontSize: theme.typography.pxToRem(11),
    lineHeight: 1.6,
    fontWeight: 600,
    color: theme.palette.error.main,
    border: `1px solid ${theme.palette.error.main}`,
  },
}));

export function resourceLabel(resource: ResourceRef): string {
  return [resource.cluster, resource.namespace, resource.kind, resource.name]
    .filter(Boolean)
    .join(' / ');
}

/** Columns of a results table: toggle, status, severity, rule, resource, message. */
export function ruleTableColumns(showArea: boolean): number {
  return showArea ? 7 : 6;
}

/** One result; the remediation opens below it on demand. */
export const RuleResultRow = memo(function RuleResultRowComponent(props: {
  item: DisplayedResult;
  /** Adds the area column (tables that mix areas). */
  showArea?: boolean;
  /** The entity's remediation document, when its repository is known. */
  docsUrl?: string;
  /** Failing since the previous scan. */
  isNew?: boolean;
}) {
  const { item, showArea = false, docsUrl, isNew = false } = props;
  const { result, rule } = item;
  const classes = useStyles();
  const columns = useTableColumns();
  const [open, setOpen] = useState(false);
  const detailId = `fl-security-detail-${item.key}`;
  const ruleUrl = docsUrl ? ruleDocsUrl(docsUrl, rule.id) : undefined;
  return (
    <>
      <TableRow data-testid="rule-result" data-status={result.status}>
        <TableCell padding="checkbox" className={columns.narrow}>
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
        <TableCell className={columns.narrow}>
          <StatusChip status={result.status} />
          {isNew && (
            <span className={classes.newBadge} data-testid="new-failure">
              New
            </span>
          )}
        </TableCell>
        <TableCell className={columns.narrow}>
          <SeverityChip severity={result.severity} />
        </TableCell>
        {showArea && (
          <TableCell className={columns.narrow}>
            {AREA_TITLES[rule.area]}
          </TableCell>
        )}
        <TableCell className={columns.text}>
          {ruleUrl ? (
            <Link
              href={ruleUrl}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="rule-docs-link"
            >
              {rule.title}
            </Link>
          ) : (
            rule.title
          )}
          {rule.title !== rule.id && (
            <span className={classes.secondary}>{rule.id}</span>
          )}
        </TableCell>
        <TableCell className={columns.identifier}>
          {resourceLabel(result.resource)}
        </TableCell>
        <TableCell className={columns.text}>{result.message}</TableCell>
      </TableRow>
      {open && (
        <TableRow id={detailId} data-testid="rule-detail">
          <TableCell />
          <TableCell colSpan={ruleTableColumns(showArea) - 1}>
            <h4 className={classes.heading}>Remediation</h4>
            <p className={classes.text}>
              {result.remediation ||
                rule.remediation ||
                'No remediation given.'}
            </p>
            {ruleUrl ? (
              <p className={classes.text}>
                <Link href={ruleUrl} target="_blank" rel="noopener noreferrer">
                  How to fix {rule.id} in the project's {REMEDIATION_DOCS_PATH}
                </Link>
              </p>
            ) : (
              rule.remediation &&
              rule.remediation !== result.remediation && (
                <>
                  <h4 className={classes.heading}>How to fix {rule.id}</h4>
                  <p className={classes.text}>{rule.remediation}</p>
                </>
              )
            )}
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
