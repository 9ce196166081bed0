import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { Entity } from '@backstage/catalog-model';
import type { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import {
  missingKubernetesAnnotation,
  workloadSelector,
} from '../../lib/entity';

/** True when the scan found nothing to evaluate for the federation. */
export function isEmptyReport(report: ComplianceReport): boolean {
  return report.results.length === 0 && report.certificates.length === 0;
}

/**
 * The scan ran but found no objects. When the entity lacks its Kubernetes
 * annotation that is the likely cause and is named; otherwise say which
 * labels the workloads need and where clusters are configured. Scan problems
 * (unreadable clusters) are listed separately by the caller.
 */
export function NoObjectsState(props: { entity: Entity; federation: string }) {
  const missing = missingKubernetesAnnotation(props.entity);
  if (missing) {
    return <MissingAnnotationEmptyState annotation={missing} />;
  }
  return (
    <Alert severity="info" data-testid="fl-security-empty">
      <AlertTitle>No Kubernetes objects found</AlertTitle>
      No FL workloads labelled{' '}
      <code>{workloadSelector(props.entity, props.federation)}</code> were
      found. Label the aggregator and participant workloads with it, and check
      that their cluster is configured (
      <code>kubernetes.clusterLocatorMethods</code> in the app config).
    </Alert>
  );
}
