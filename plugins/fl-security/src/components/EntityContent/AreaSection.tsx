import { memo } from 'react';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { AreaGroup } from '../../lib/grouping';
import { RuleResultRow } from './RuleResultRow';

/** Rows rendered per area before "show more": keeps 1,000 results cheap. */
export const AREA_PAGE_SIZE = 25;
/** Rows added by each "show more". */
export const AREA_MORE_SIZE = 100;

/** The results of one area, worst first, in pages. */
export const AreaSection = memo(function AreaSectionComponent(props: {
  group: AreaGroup;
  /** How many rows to render. */
  limit: number;
  onShowMore(area: string): void;
}) {
  const { group, limit, onShowMore } = props;
  const headingId = `fl-security-area-${group.area}`;
  const shown = group.results.slice(0, limit);
  const remaining = group.results.length - shown.length;

  return (
    <Paper
      component="section"
      aria-labelledby={headingId}
      data-testid="area-section"
      variant="outlined"
      style={{ marginBottom: 16 }}
    >
      <Typography
        id={headingId}
        variant="h6"
        style={{ padding: '12px 16px 0' }}
      >
        {group.title} ({group.results.length})
      </Typography>
      <Table size="small" aria-labelledby={headingId}>
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" />
            <TableCell>Status</TableCell>
            <TableCell>Severity</TableCell>
            <TableCell>Rule</TableCell>
            <TableCell>Resource</TableCell>
            <TableCell>Message</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(item => (
            <RuleResultRow key={item.key} item={item} />
          ))}
        </TableBody>
      </Table>
      {remaining > 0 && (
        <Button style={{ margin: 8 }} onClick={() => onShowMore(group.area)}>
          Show {Math.min(remaining, AREA_MORE_SIZE)} more of {remaining}
        </Button>
      )}
    </Paper>
  );
});
