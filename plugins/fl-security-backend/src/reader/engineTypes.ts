/**
 * The engine contract's input types (TEAM.md, implemented by
 * @fl-security/plugin-fl-security-node). Structural copies until the engine
 * package exports them.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface SnapshotGap {
  kind: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  status: 'skip' | 'error';
  reason: string;
  missingPermission?: string;
}

export interface ClusterSnapshot {
  cluster?: string;
  objects: KubeObject[];
  gaps: SnapshotGap[];
}
