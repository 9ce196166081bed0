import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /**
   * The Kubernetes plugin's cluster configuration, read by the FL security
   * backend as well (only locators of type `config`). Declared here too so the
   * secrets stay secret when the Kubernetes plugin is not installed.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      type: string;
      clusters?: Array<{
        name: string;
        url: string;
        /** Only `serviceAccount` is supported by the FL security backend. */
        authProvider?: string;
        /** @visibility secret */
        serviceAccountToken?: string;
        /** Base64-encoded PEM CA bundle of the API server. @visibility secret */
        caData?: string;
        /** @visibility secret */
        caFile?: string;
        skipTLSVerify?: boolean;
      }>;
    }>;
  };

  /** FL security backend settings. */
  flSecurity?: {
    /**
     * Path of a kubeconfig file for local use: every context becomes a
     * cluster named after the context.
     */
    kubeconfig?: string;
    /** Read the cluster the backend runs in, with its pod's service account. */
    inCluster?: boolean;
    /** Cluster name used for the in-cluster configuration (default `local`). */
    inClusterName?: string;

    /** Scheduled scans of every FL entity (default every 10 minutes). */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;

    reader?: {
      /**
       * Time allowed for reading one cluster, as ISO duration or object
       * (default 20 seconds). A slower cluster is reported as an error.
       */
      clusterTimeout?:
        | string
        | {
            milliseconds?: number;
            seconds?: number;
            minutes?: number;
          };
      /** Kubernetes API requests in flight per cluster (default 6). */
      concurrency?: number;
      /** Entities scanned in parallel by the scheduled task (default 2). */
      entityConcurrency?: number;
    };

    /** Reports kept per entity (default 20). */
    historyLimit?: number;

    /** Certificate expiry thresholds in days (defaults 30 and 14). */
    thresholds?: {
      expiryWarnDays?: number;
      expiryFailDays?: number;
    };

    /**
     * Write each report as a wgpolicyk8s.io/v1alpha2 PolicyReport into the
     * federation's namespace (needs its own RBAC; off by default).
     */
    policyReport?: {
      enabled?: boolean;
    };
  };
}
