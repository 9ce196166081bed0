/** The compliance engine: pure evaluation of cluster snapshots. */
export { evaluateFederations, evaluateFederation } from './evaluate';
export { DEFAULT_THRESHOLDS } from './types';
export type {
  KubeObject,
  SnapshotGap,
  ClusterSnapshot,
  Thresholds,
  EngineInput,
} from './types';
export { resourceKey, namespaceOf, isClusterScoped } from './model/objects';
