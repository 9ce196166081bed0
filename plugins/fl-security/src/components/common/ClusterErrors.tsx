import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { ClusterError } from '@fl-security/plugin-fl-security-common';

/** '-' and '' stand for "no particular cluster" in the backend's errors. */
function clusterLabel(cluster: string): string | undefined {
  return cluster && cluster !== '-' ? cluster : undefined;
}

/**
 * What the scan could not read, per cluster. Never hidden: results that
 * depend on it are incomplete.
 */
export function ClusterErrors(props: {
  errors: readonly ClusterError[];
  /** Only the count and first messages (cards). */
  compact?: boolean;
}) {
  const { errors, compact } = props;
  if (errors.length === 0) return null;
  const shown = compact ? errors.slice(0, 2) : errors;
  return (
    <Alert severity="error" data-testid="fl-security-cluster-errors">
      <AlertTitle>
        {errors.length === 1
          ? '1 problem during the scan'
          : `${errors.length} problems during the scan`}
      </AlertTitle>
      <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
        {shown.map((error, index) => (
          <li key={index}>
            {clusterLabel(error.cluster) && (
              <strong>{clusterLabel(error.cluster)}: </strong>
            )}
            {error.message}
            {error.missingPermission && (
              <>
                {' '}
                (missing permission: <code>{error.missingPermission}</code>)
              </>
            )}
          </li>
        ))}
        {shown.length < errors.length && (
          <li>and {errors.length - shown.length} more</li>
        )}
      </ul>
    </Alert>
  );
}
