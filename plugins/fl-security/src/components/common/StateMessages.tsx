import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  flSecurityReportReadPermission,
  flSecurityReportRefreshPermission,
} from '@fl-security/plugin-fl-security-common';
import { classifyFailure, failureMessage } from '../../lib/errors';

/** Loading placeholder with an accessible name. */
export function LoadingState() {
  return (
    <div role="progressbar" aria-label="Loading FL security report">
      <Progress />
    </div>
  );
}

/** An entity that has no report yet, for a user who may not scan it. */
export function NotScannedState(props: { message: string }) {
  return (
    <Alert severity="info" data-testid="fl-security-not-scanned">
      <AlertTitle>Not scanned yet</AlertTitle>
      {props.message}
    </Alert>
  );
}

/** Shown for a 403 from the backend: which permission to ask for. */
export function PermissionDeniedState(props: { error?: unknown }) {
  // The backend names the missing permission; scanning needs its own.
  const scan =
    props.error !== undefined &&
    failureMessage(props.error).includes(
      flSecurityReportRefreshPermission.name,
    );
  const permission = scan
    ? flSecurityReportRefreshPermission
    : flSecurityReportReadPermission;
  return (
    <Alert severity="warning" data-testid="fl-security-permission-denied">
      <AlertTitle>Permission required</AlertTitle>
      {scan
        ? 'You are not allowed to scan this entity.'
        : 'You are not allowed to read FL security reports.'}{' '}
      Ask an administrator to grant you the permission{' '}
      <code>{permission.name}</code>.
    </Alert>
  );
}

/**
 * Presents a failed API call: permission denied, not found (no report yet,
 * or the entity lacks its Kubernetes annotation), or an unexpected error with
 * the server's details.
 */
export function FailureState(props: {
  error: unknown;
  /** Compact rendering for cards. */
  compact?: boolean;
  /** Annotation the entity lacks, named instead of a bare "not found". */
  missingAnnotation?: string;
}) {
  const { error, compact, missingAnnotation } = props;
  const kind = classifyFailure(error);
  if (kind === 'permission-denied') {
    return <PermissionDeniedState error={error} />;
  }
  if (missingAnnotation) {
    return <MissingAnnotationEmptyState annotation={missingAnnotation} />;
  }
  switch (kind) {
    case 'not-found':
      return (
        <Alert severity="info" data-testid="fl-security-not-found">
          <AlertTitle>No report</AlertTitle>
          {failureMessage(error)}
          <Typography variant="body2">
            Use “Scan now” to evaluate the federation.
          </Typography>
        </Alert>
      );
    default:
      return compact || !(error instanceof Error) ? (
        <Alert severity="error" data-testid="fl-security-error">
          <AlertTitle>Could not load the FL security report</AlertTitle>
          {failureMessage(error)}
        </Alert>
      ) : (
        <ResponseErrorPanel
          error={error}
          title="Could not load the FL security report"
        />
      );
  }
}
