import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { OverallStatus } from '@fl-security/plugin-fl-security-common';
import { OVERALL_LABELS } from '../../lib/status';

/** Overall verdict of a report, icon plus word. */
export function OverallStatusLabel(props: { status: OverallStatus }) {
  const label = OVERALL_LABELS[props.status];
  switch (props.status) {
    case 'compliant':
      return <StatusOK>{label}</StatusOK>;
    case 'warnings':
      return <StatusWarning>{label}</StatusWarning>;
    case 'violations':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}
