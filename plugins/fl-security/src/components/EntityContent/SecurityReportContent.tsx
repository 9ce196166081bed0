import { useState } from 'react';
import Box from '@material-ui/core/Box';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { EntityReportResponse } from '@fl-security/plugin-fl-security-common';
import { missingKubernetesAnnotation } from '../../lib/entity';
import type { StatusFilter } from '../../lib/grouping';
import { useEntityReport } from '../../hooks/useEntityReport';
import { useRemediationDocsUrl } from '../../hooks/useRemediationDocsUrl';
import { ClusterErrors } from '../common/ClusterErrors';
import { NoObjectsState, isEmptyReport } from '../common/NoObjectsState';
import {
  FailureState,
  LoadingState,
  NotScannedState,
} from '../common/StateMessages';
import { CertificatePanel } from './CertificatePanel';
import { ChangesSinceLastScan } from './ChangesSinceLastScan';
import { HistoryTrend } from './HistoryTrend';
import { ReachabilityView } from './ReachabilityView';
import { ReportHeader } from './ReportHeader';
import { RuleResults } from './RuleResults';
import { StatusFilterBar } from './StatusFilterBar';
import { StickySummary } from './StickySummary';

/** The "FL Security" entity tab: a sticky summary, then failures first. */
export function SecurityReportContent() {
  const { entity } = useEntity();
  const missing = missingKubernetesAnnotation(entity);
  const { state, refreshing, refreshError, refresh } = useEntityReport(entity);
  const [filter, setFilter] = useState<StatusFilter>('all');
  const response = state.status === 'loaded' ? state.response : undefined;
  const hasResults = response !== undefined && !isEmptyReport(response.report);

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {state.status !== 'loading' && (
        <StickySummary>
          <ReportHeader
            entityRef={stringifyEntityRef(entity)}
            response={response}
            refreshing={refreshing}
            onRefresh={refresh}
          />
          {response && hasResults && (
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 16 }}
            >
              <StatusFilterBar
                value={filter}
                summary={response.report.summary}
                onChange={setFilter}
              />
              <HistoryTrend history={response.history} />
            </Box>
          )}
        </StickySummary>
      )}
      {refreshError !== undefined && (
        <FailureState error={refreshError} compact />
      )}
      {state.status === 'loading' && <LoadingState />}
      {state.status === 'not-scanned' && (
        <NotScannedState message={state.message} />
      )}
      {state.status === 'failed' && (
        <FailureState error={state.error} missingAnnotation={missing} />
      )}
      {response && (
        <ReportBody response={response} entity={entity} filter={filter} />
      )}
    </Box>
  );
}

function ReportBody(props: {
  response: EntityReportResponse;
  entity: Entity;
  filter: StatusFilter;
}) {
  const { response, entity, filter } = props;
  const { report, changes } = response;
  const docsUrl = useRemediationDocsUrl(entity);
  return (
    <>
      <ClusterErrors errors={report.errors} />
      {isEmptyReport(report) ? (
        <NoObjectsState entity={entity} federation={report.federation} />
      ) : (
        <>
          {changes && <ChangesSinceLastScan changes={changes} />}
          <RuleResults
            results={report.results}
            filter={filter}
            docsUrl={docsUrl}
            changes={changes}
          />
          <ReachabilityView entries={report.reachability} />
          <CertificatePanel certificates={report.certificates} />
        </>
      )}
    </>
  );
}
