import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { Entity } from '@backstage/catalog-model';
import type { EntityReportResponse } from '@fl-security/plugin-fl-security-common';
import { soonestExpiry } from '../../lib/certificates';
import { STATUS_LABELS, STATUS_ORDER } from '../../lib/status';
import { absoluteTime, relativeTime } from '../../lib/time';
import { ClusterErrors } from '../common/ClusterErrors';
import { NoObjectsState, isEmptyReport } from '../common/NoObjectsState';
import { OverallStatusLabel } from '../common/OverallStatusLabel';
import { ExpiryText } from '../common/ExpiryText';
import { TopFailures } from './TopFailures';

/** The facts of a report that fit on a card. */
export function ReportSummary(props: {
  response: EntityReportResponse;
  entity: Entity;
}) {
  const { report, overall } = props.response;
  const soonest = soonestExpiry(report.certificates);

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      <Typography
        variant="h5"
        component="div"
        data-testid="fl-security-overall"
      >
        <OverallStatusLabel status={overall} />
      </Typography>
      {isEmptyReport(report) ? (
        <NoObjectsState entity={props.entity} federation={report.federation} />
      ) : (
        <dl
          aria-label="Results per status"
          style={{ display: 'flex', gap: 16, margin: 0, flexWrap: 'wrap' }}
        >
          {STATUS_ORDER.map(s => (
            <div key={s} data-testid={`count-${s}`}>
              <Typography
                component="dt"
                variant="caption"
                color="textSecondary"
              >
                {STATUS_LABELS[s]}
              </Typography>
              <Typography component="dd" variant="h6" style={{ margin: 0 }}>
                {report.summary[s]}
              </Typography>
            </div>
          ))}
        </dl>
      )}
      <TopFailures results={report.results} />
      <Typography variant="body2" data-testid="fl-security-soonest-expiry">
        Soonest certificate expiry:{' '}
        {soonest ? (
          <Tooltip
            title={`${soonest.subject}, not after ${absoluteTime(
              soonest.notAfter,
            )}`}
          >
            <span>
              <ExpiryText daysLeft={soonest.daysLeft} /> ({soonest.source.name})
            </span>
          </Tooltip>
        ) : (
          'no certificate read'
        )}
      </Typography>
      <ClusterErrors errors={report.errors} compact />
      <Typography variant="body2" color="textSecondary">
        Last scan:{' '}
        <time
          dateTime={report.generatedAt}
          title={absoluteTime(report.generatedAt)}
        >
          {relativeTime(report.generatedAt)}
        </time>
      </Typography>
    </Box>
  );
}
