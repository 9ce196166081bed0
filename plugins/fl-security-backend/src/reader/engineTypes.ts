/** The engine's input types, from the engine package (its engine/types.ts). */
export type {
  ClusterSnapshot,
  KubeObject,
  SnapshotGap,
} from '@fl-security/plugin-fl-security-node';
