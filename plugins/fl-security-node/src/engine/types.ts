/**
 * Input types of the compliance engine: snapshots of what the reader (or
 * the CLI) obtained, the clock and the thresholds. The thresholds' defaults
 * are the product's (the backend's settings and the CLI take them from here).
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

/**
 * What the reader could not obtain: rules depending on it become skip (e.g.
 * CRD not installed) or error (403, timeout).
 */
export interface SnapshotGap {
  kind: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  status: 'skip' | 'error';
  reason: string;
  /** e.g. "list networkpolicies in fl-agg" */
  missingPermission?: string;
}

export interface ClusterSnapshot {
  /** Absent offline (manifests from files). */
  cluster?: string;
  objects: KubeObject[];
  gaps: SnapshotGap[];
  /**
   * Live, only some of the cluster's Namespace objects were read (the portal
   * reads an entity's own): a namespace a NetworkPolicy names may exist
   * though the snapshot lacks it. Absent: the live list is complete.
   */
  partialNamespaces?: boolean;
}

export interface Thresholds {
  /** Certificates expiring within this many days warn (default 30). */
  expiryWarnDays: number;
  /** Certificates expiring within this many days fail (default 14). */
  expiryFailDays: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = {
  expiryWarnDays: 30,
  expiryFailDays: 14,
};

export interface EngineInput {
  snapshots: ClusterSnapshot[];
  /** The clock: the engine never reads the system time. */
  now: Date;
  thresholds?: Partial<Thresholds>;
}
