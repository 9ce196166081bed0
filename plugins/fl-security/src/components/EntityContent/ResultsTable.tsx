import { memo, useState } from 'react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { DisplayedResult } from '../../lib/grouping';
import { resultKey } from '../../lib/changes';
import { RuleResultRow } from './RuleResultRow';
import { useTableColumns } from './tableColumns';

/** Rows rendered before "show more": keeps 1,000 results cheap. */
export const RESULTS_PAGE_SIZE = 25;
/** Rows added by each "show more". */
export const RESULTS_MORE_SIZE = 100;

/** Results, worst first, in pages. */
export const ResultsTable = memo(function ResultsTableComponent(props: {
  items: readonly DisplayedResult[];
  /** Id of the heading that names the table. */
  labelledBy: string;
  showArea?: boolean;
  docsUrl?: string;
  /** resultKey of results failing since the previous scan. */
  newFailures?: ReadonlySet<string>;
}) {
  const { items, labelledBy, showArea = false, docsUrl, newFailures } = props;
  const columns = useTableColumns();
  const [limit, setLimit] = useState(RESULTS_PAGE_SIZE);
  const shown = items.slice(0, limit);
  const remaining = items.length - shown.length;
  return (
    <>
      <Table size="small" aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" className={columns.narrow} />
            <TableCell className={columns.narrow}>Status</TableCell>
            <TableCell className={columns.narrow}>Severity</TableCell>
            {showArea && <TableCell className={columns.narrow}>Area</TableCell>}
            <TableCell className={columns.text}>Rule</TableCell>
            <TableCell className={columns.identifier}>Resource</TableCell>
            <TableCell className={columns.text}>Message</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(item => (
            <RuleResultRow
              key={item.key}
              item={item}
              showArea={showArea}
              docsUrl={docsUrl}
              isNew={newFailures?.has(resultKey(item.result)) ?? false}
            />
          ))}
        </TableBody>
      </Table>
      {remaining > 0 && (
        <Button
          style={{ margin: 8 }}
          onClick={() => setLimit(current => current + RESULTS_MORE_SIZE)}
        >
          Show {Math.min(remaining, RESULTS_MORE_SIZE)} more of {remaining}
        </Button>
      )}
    </>
  );
});
