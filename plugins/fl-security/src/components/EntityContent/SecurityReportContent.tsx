import Box from '@material-ui/core/Box';
import type { Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { missingKubernetesAnnotation } from '../../lib/entity';
import { useEntityReport } from '../../hooks/useEntityReport';
import { ClusterErrors } from '../common/ClusterErrors';
import { NoObjectsState, isEmptyReport } from '../common/NoObjectsState';
import { FailureState, LoadingState } from '../common/StateMessages';
import { CertificatePanel } from './CertificatePanel';
import { ReachabilityView } from './ReachabilityView';
import { ReportHeader } from './ReportHeader';
import { RuleResults } from './RuleResults';

/** The "FL Security" entity tab. */
export function SecurityReportContent() {
  const { entity } = useEntity();
  const missing = missingKubernetesAnnotation(entity);
  const { state, refreshing, refreshError, refresh } = useEntityReport(entity);
  const response = state.status === 'loaded' ? state.response : undefined;

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {state.status !== 'loading' && (
        <ReportHeader
          response={response}
          refreshing={refreshing}
          onRefresh={refresh}
        />
      )}
      {refreshError !== undefined && (
        <FailureState error={refreshError} compact />
      )}
      {state.status === 'loading' && <LoadingState />}
      {state.status === 'failed' && (
        <FailureState error={state.error} missingAnnotation={missing} />
      )}
      {response && <ReportBody report={response.report} entity={entity} />}
    </Box>
  );
}

function ReportBody(props: { report: ComplianceReport; entity: Entity }) {
  const { report, entity } = props;
  return (
    <>
      <ClusterErrors errors={report.errors} />
      {isEmptyReport(report) ? (
        <NoObjectsState entity={entity} federation={report.federation} />
      ) : (
        <>
          <RuleResults results={report.results} summary={report.summary} />
          <ReachabilityView entries={report.reachability} />
          <CertificatePanel certificates={report.certificates} />
        </>
      )}
    </>
  );
}
