import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import {
  FL_COMPONENT_TYPE,
  FLEET_DEFAULT_PAGE_SIZE,
} from '@fl-security/plugin-fl-security-common';
import { flSecurityApiRef } from '../../api/FlSecurityApi';
import { FailureState, LoadingState } from '../common/StateMessages';
import { FleetTable } from './FleetTable';

/**
 * Fleet overview content: the FL entities the user may read, one page at
 * a time (the backend pages the catalog; a fleet of thousands never loads
 * at once). Columns sort within the page.
 */
export function FleetOverview(props: { pageSize?: number }) {
  const pageSize = props.pageSize ?? FLEET_DEFAULT_PAGE_SIZE;
  const api = useApi(flSecurityApiRef);
  // Cursors of the pages visited; the last one is shown.
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const cursor = cursors[cursors.length - 1];
  const { loading, value, error } = useAsync(
    () => api.getFleet({ limit: pageSize, cursor }),
    [api, cursor, pageSize],
  );

  if (loading) return <LoadingState />;
  if (error) return <FailureState error={error} />;
  const items = value?.items ?? [];
  const nextCursor = value?.nextCursor;
  const page = cursors.length;
  if (page === 1 && items.length === 0 && !nextCursor) {
    return (
      <Alert severity="info" data-testid="fl-security-fleet-empty">
        <AlertTitle>No FL entities</AlertTitle>
        No catalog entity you may read is marked as federated learning.
        Components with <code>spec.type: {FL_COMPONENT_TYPE}</code> appear here
        once scanned.
      </Alert>
    );
  }
  return (
    <>
      {items.length > 0 ? (
        <FleetTable entries={items} />
      ) : (
        <Typography variant="body2" data-testid="fl-security-fleet-page-empty">
          No entity on this page that you may read; the next page may have some.
        </Typography>
      )}
      <Box
        display="flex"
        alignItems="center"
        justifyContent="flex-end"
        mt={1}
        gridGap={8}
        component="nav"
        aria-label="Fleet pages"
      >
        <Typography variant="body2" data-testid="fl-security-fleet-page">
          Page {page}
        </Typography>
        <Button
          size="small"
          disabled={page === 1}
          onClick={() => setCursors(c => c.slice(0, -1))}
        >
          Previous page
        </Button>
        <Button
          size="small"
          disabled={!nextCursor}
          onClick={() => setCursors(c => [...c, nextCursor])}
        >
          Next page
        </Button>
      </Box>
    </>
  );
}
