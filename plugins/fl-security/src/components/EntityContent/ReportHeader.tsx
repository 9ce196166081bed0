import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import type { EntityReportResponse } from '@fl-security/plugin-fl-security-common';
import { absoluteTime, relativeTime } from '../../lib/time';
import { OverallStatusLabel } from '../common/OverallStatusLabel';

/** Verdict, federation, scan time and the refresh button. */
export function ReportHeader(props: {
  response?: EntityReportResponse;
  refreshing: boolean;
  onRefresh(): void;
}) {
  const { response, refreshing, onRefresh } = props;
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
      <Button
        variant="outlined"
        color="primary"
        onClick={onRefresh}
        disabled={refreshing}
        startIcon={
          refreshing ? <CircularProgress size={16} /> : <RefreshIcon />
        }
      >
        {refreshing ? 'Scanning…' : 'Scan now'}
      </Button>
    </Box>
  );
}
