import { useMemo, useState } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { FleetEntry } from '@fl-security/plugin-fl-security-common';
import Tooltip from '@material-ui/core/Tooltip';
import {
  type FleetSortKey,
  type SortDirection,
  sortFleet,
} from '../../lib/fleetSort';
import { absoluteTime, relativeTime } from '../../lib/time';
import { ExpiryText } from '../common/ExpiryText';
import { OverallStatusLabel } from '../common/OverallStatusLabel';

const COLUMNS: Array<{ key: FleetSortKey; label: string; numeric?: boolean }> =
  [
    { key: 'entity', label: 'Entity' },
    { key: 'status', label: 'Status' },
    { key: 'fail', label: 'Fail', numeric: true },
    { key: 'error', label: 'Error', numeric: true },
    { key: 'warn', label: 'Warning', numeric: true },
    { key: 'expiry', label: 'Soonest expiry' },
    { key: 'scanned', label: 'Last scan' },
  ];

/** Every FL entity, worst status first by default; each column sorts. */
export function FleetTable(props: { entries: readonly FleetEntry[] }) {
  const [sortKey, setSortKey] = useState<FleetSortKey>('status');
  const [direction, setDirection] = useState<SortDirection>('asc');
  const rows = useMemo(
    () => sortFleet(props.entries, sortKey, direction),
    [props.entries, sortKey, direction],
  );

  const sortBy = (key: FleetSortKey) => {
    if (key === sortKey) {
      setDirection(d => (d === 'asc' ? 'desc' : 'asc'));
    } else {
      setSortKey(key);
      setDirection('asc');
    }
  };

  return (
    <Table size="small" aria-label="FL federations">
      <TableHead>
        <TableRow>
          {COLUMNS.map(column => (
            <TableCell
              key={column.key}
              align={column.numeric ? 'right' : 'left'}
              sortDirection={sortKey === column.key ? direction : false}
            >
              <TableSortLabel
                active={sortKey === column.key}
                direction={sortKey === column.key ? direction : 'asc'}
                onClick={() => sortBy(column.key)}
              >
                {column.label}
              </TableSortLabel>
            </TableCell>
          ))}
          <TableCell>Federation</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(entry => (
          <TableRow key={entry.entityRef} data-testid="fleet-row">
            <TableCell>
              <EntityRefLink entityRef={entry.entityRef} />
            </TableCell>
            <TableCell>
              <OverallStatusLabel status={entry.overall} />
            </TableCell>
            <TableCell align="right">{entry.summary?.fail ?? '—'}</TableCell>
            <TableCell align="right">{entry.summary?.error ?? '—'}</TableCell>
            <TableCell align="right">{entry.summary?.warn ?? '—'}</TableCell>
            <TableCell>
              {entry.soonestExpiry ? (
                <Tooltip
                  title={`${entry.soonestExpiry.subject} (${entry.soonestExpiry.source})`}
                >
                  <span>
                    <ExpiryText daysLeft={entry.soonestExpiry.daysLeft} />
                  </span>
                </Tooltip>
              ) : (
                '—'
              )}
            </TableCell>
            <TableCell>
              {entry.generatedAt ? (
                <time
                  dateTime={entry.generatedAt}
                  title={absoluteTime(entry.generatedAt)}
                >
                  {relativeTime(entry.generatedAt)}
                </time>
              ) : (
                'never'
              )}
            </TableCell>
            <TableCell>{entry.federation ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
