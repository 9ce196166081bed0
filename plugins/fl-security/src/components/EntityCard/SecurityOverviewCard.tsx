import { InfoCard } from '@backstage/core-components';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { ENTITY_CONTENT_PATH } from '../../lib/paths';
import { missingKubernetesAnnotation } from '../../lib/entity';
import { useEntityReport } from '../../hooks/useEntityReport';
import {
  FailureState,
  LoadingState,
  NotScannedState,
} from '../common/StateMessages';
import { ReportSummary } from './ReportSummary';

/** Overview card of an FL entity: verdict, counts, expiry, last scan. */
export function SecurityOverviewCard() {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  const missing = missingKubernetesAnnotation(entity);
  const { state } = useEntityReport(entity);

  let body;
  if (state.status === 'loading') {
    body = <LoadingState />;
  } else if (state.status === 'failed') {
    body = (
      <FailureState error={state.error} missingAnnotation={missing} compact />
    );
  } else if (state.status === 'not-scanned') {
    body = <NotScannedState message={state.message} />;
  } else {
    body = <ReportSummary response={state.response} entity={entity} />;
  }

  return (
    <InfoCard
      title="FL Security"
      subheader="Encryption and network policy of the federation"
      deepLink={{
        title: 'View FL security details',
        link: `${entityLink(entity).replace(
          /\/+$/,
          '',
        )}/${ENTITY_CONTENT_PATH}`,
      }}
    >
      {body}
    </InfoCard>
  );
}
