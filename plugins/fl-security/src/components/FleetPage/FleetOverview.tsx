import { useApi } from '@backstage/frontend-plugin-api';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import { FL_COMPONENT_TYPE } from '@fl-security/plugin-fl-security-common';
import { flSecurityApiRef } from '../../api/FlSecurityApi';
import { FailureState, LoadingState } from '../common/StateMessages';
import { FleetTable } from './FleetTable';

/** Fleet overview content: every FL entity with its status. */
export function FleetOverview() {
  const api = useApi(flSecurityApiRef);
  const { loading, value, error } = useAsync(() => api.getFleet(), [api]);

  if (loading) return <LoadingState />;
  if (error) return <FailureState error={error} />;
  if (!value || value.items.length === 0) {
    return (
      <Alert severity="info" data-testid="fl-security-fleet-empty">
        <AlertTitle>No FL entities</AlertTitle>
        No catalog entity is marked as federated learning. Components with{' '}
        <code>spec.type: {FL_COMPONENT_TYPE}</code> appear here once scanned.
      </Alert>
    );
  }
  return <FleetTable entries={value.items} />;
}
