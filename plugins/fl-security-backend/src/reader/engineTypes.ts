/** The engine's input types (contract in TEAM.md), from the engine package. */
export type {
  ClusterSnapshot,
  KubeObject,
  SnapshotGap,
} from '@fl-security/plugin-fl-security-node';
