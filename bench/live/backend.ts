/**
 * The backend plugin's own modules, imported from its source: the bench
 * drives exactly what the plugin runs (no copy), in-process.
 */
export type {
  ClusterSpec,
  ClusterSource,
} from '../../plugins/fl-security-backend/src/config/clusters';
export { DEFAULT_SETTINGS } from '../../plugins/fl-security-backend/src/config/settings';
export { scanTargetForEntity } from '../../plugins/fl-security-backend/src/entity/scanTarget';
export { connectCluster } from '../../plugins/fl-security-backend/src/kube/connection';
export type { KubeConnection } from '../../plugins/fl-security-backend/src/kube/connection';
export { FederationReader } from '../../plugins/fl-security-backend/src/reader/federationReader';
export {
  createLimiter,
  forEachLimit,
} from '../../plugins/fl-security-backend/src/reader/limit';
export {
  groupVersionPath,
  LISTED_KINDS,
} from '../../plugins/fl-security-backend/src/reader/resourceKinds';
export type { ResourceKind } from '../../plugins/fl-security-backend/src/reader/resourceKinds';
export { evaluateFederation } from '../../plugins/fl-security-backend/src/service/engine';
export { ReportService } from '../../plugins/fl-security-backend/src/service/ReportService';
export { ReportStore } from '../../plugins/fl-security-backend/src/store/ReportStore';
