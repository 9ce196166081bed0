import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import type { ReachabilityEntry } from '@fl-security/plugin-fl-security-common';
import { ReachabilityGraph } from './ReachabilityGraph';
import { resourceLabel } from './RuleResultRow';
import { useTableColumns } from './tableColumns';

const useStyles = makeStyles((theme: Theme) => ({
  unexpectedRow: {
    backgroundColor:
      theme.palette.type === 'dark' ? 'rgba(244, 67, 54, 0.16)' : '#fdecea',
  },
  unexpected: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  expected: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
}));

/** Unexpected sources first, then by target and label. */
export function sortReachability(
  entries: readonly ReachabilityEntry[],
): ReachabilityEntry[] {
  return [...entries].sort(
    (a, b) =>
      Number(a.expected) - Number(b.expected) ||
      resourceLabel(a.target).localeCompare(resourceLabel(b.target)) ||
      a.port - b.port ||
      a.source.label.localeCompare(b.source.label),
  );
}

/**
 * Who may open a connection to the aggregator's FL port according to the
 * NetworkPolicies: one row per source → target, unexpected ones highlighted.
 */
export function ReachabilityView(props: {
  entries: readonly ReachabilityEntry[];
}) {
  const classes = useStyles();
  const columns = useTableColumns();
  const entries = sortReachability(props.entries);
  const unexpected = entries.filter(e => !e.expected).length;
  return (
    <Paper
      component="section"
      aria-labelledby="fl-security-reachability"
      variant="outlined"
    >
      <Typography
        id="fl-security-reachability"
        variant="h6"
        style={{ padding: '12px 16px 0' }}
      >
        Who can reach the aggregator
      </Typography>
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ padding: '0 16px' }}
      >
        {entries.length === 0
          ? 'The report lists no source for the aggregator port: no aggregator was found, or its NetworkPolicies admit nobody.'
          : `${entries.length} admitted source${
              entries.length === 1 ? '' : 's'
            }, ${unexpected} unexpected.`}
      </Typography>
      <ReachabilityGraph entries={entries} />
      {entries.length > 0 && (
        <Table size="small" aria-labelledby="fl-security-reachability">
          <TableHead>
            <TableRow>
              <TableCell className={columns.identifier}>Source</TableCell>
              <TableCell className={columns.narrow}>Type</TableCell>
              <TableCell className={columns.identifier}>
                Target (aggregator)
              </TableCell>
              <TableCell className={columns.narrow}>Port</TableCell>
              <TableCell className={columns.identifier}>Admitted by</TableCell>
              <TableCell className={columns.narrow}>Verdict</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map((entry, index) => (
              <TableRow
                key={index}
                data-testid="reachability"
                className={entry.expected ? undefined : classes.unexpectedRow}
              >
                <TableCell className={columns.identifier}>
                  {entry.source.label}
                  {entry.source.cluster && (
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      display="block"
                    >
                      cluster {entry.source.cluster}
                    </Typography>
                  )}
                </TableCell>
                <TableCell className={columns.narrow}>
                  {entry.source.type}
                </TableCell>
                <TableCell className={columns.identifier}>
                  {resourceLabel(entry.target)}
                </TableCell>
                <TableCell className={columns.narrow}>{entry.port}</TableCell>
                <TableCell className={columns.identifier}>
                  {entry.via.join(', ') || '—'}
                  {entry.reason && (
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      display="block"
                    >
                      {entry.reason}
                    </Typography>
                  )}
                </TableCell>
                <TableCell className={columns.narrow}>
                  <Chip
                    size="small"
                    label={entry.expected ? 'Expected' : 'Unexpected'}
                    className={
                      entry.expected ? classes.expected : classes.unexpected
                    }
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}
