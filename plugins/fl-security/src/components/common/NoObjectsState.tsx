import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  type ComplianceReport,
  KUBERNETES_ID_LABEL,
} from '@fl-security/plugin-fl-security-common';

/** True when the scan found nothing to evaluate for the federation. */
export function isEmptyReport(report: ComplianceReport): boolean {
  return report.results.length === 0 && report.certificates.length === 0;
}

/**
 * The scan ran but found no objects. When the entity lacks its Kubernetes
 * annotation that is the likely cause and is named; otherwise say which label
 * the workloads need and that clusters come from the kubernetes config.
 * Cluster errors are listed separately by the caller.
 */
export function NoObjectsState(props: {
  report: ComplianceReport;
  missingAnnotation?: string;
}) {
  const { federation, errors } = props.report;
  if (props.missingAnnotation) {
    return <MissingAnnotationEmptyState annotation={props.missingAnnotation} />;
  }
  return (
    <Alert severity="info" data-testid="fl-security-empty">
      <AlertTitle>No Kubernetes objects found</AlertTitle>
      No workloads labelled{' '}
      <code>
        {KUBERNETES_ID_LABEL}={federation}
      </code>{' '}
      were found
      {errors.length > 0
        ? ' in the clusters that could be read.'
        : ' in any configured cluster.'}{' '}
      Label the aggregator and participant workloads, and check that their
      cluster is listed under <code>kubernetes.clusterLocatorMethods</code> in
      the app config.
    </Alert>
  );
}
