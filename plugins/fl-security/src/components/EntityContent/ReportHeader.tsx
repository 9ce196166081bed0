import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type EntityReportResponse,
  flSecurityReportRefreshPermission,
} from '@fl-security/plugin-fl-security-common';
import { absoluteTime, relativeTime } from '../../lib/time';
import { OverallStatusLabel } from '../common/OverallStatusLabel';

/**
 * Verdict, federation, scan time and the "Scan now" button, which only users
 * allowed to refresh this entity's report see (the backend checks it again).
 */
export function ReportHeader(props: {
  /** Stringified ref of the entity the report belongs to. */
  entityRef: string;
  response?: EntityReportResponse;
  refreshing: boolean;
  onRefresh(): void;
}) {
  const { entityRef, response, refreshing, onRefresh } = props;
  const report = response?.report;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 24 }}>
      {response && report && (
        <>
          <Typography
            variant="h5"
            component="div"
            data-testid="fl-security-overall"
          >
            <OverallStatusLabel status={response.overall} />
          </Typography>
          <Typography variant="body2">
            Federation <strong>{report.federation}</strong>
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Last scan{' '}
            <time
              dateTime={report.generatedAt}
              title={absoluteTime(report.generatedAt)}
            >
              {relativeTime(report.generatedAt)}
            </time>
          </Typography>
        </>
      )}
      <Box flexGrow={1} />
      <ScanNowButton
        entityRef={entityRef}
        refreshing={refreshing}
        onRefresh={onRefresh}
      />
    </Box>
  );
}

function ScanNowButton(props: {
  entityRef: string;
  refreshing: boolean;
  onRefresh(): void;
}) {
  const { entityRef, refreshing, onRefresh } = props;
  const { loading, allowed } = usePermission({
    permission: flSecurityReportRefreshPermission,
    resourceRef: entityRef,
  });
  if (!loading && !allowed) {
    // Fail closed: no button, and a line saying what would enable it.
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="fl-security-scan-not-allowed"
      >
        Scanning needs the permission{' '}
        <code>{flSecurityReportRefreshPermission.name}</code>
      </Typography>
    );
  }
  return (
    <Button
      variant="outlined"
      color="primary"
      onClick={onRefresh}
      disabled={loading || refreshing}
      startIcon={refreshing ? <CircularProgress size={16} /> : <RefreshIcon />}
    >
      {refreshing ? 'Scanning…' : 'Scan now'}
    </Button>
  );
}
