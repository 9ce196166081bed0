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
      /**
       * Kubernetes API requests in flight per cluster, across every scan
       * and PolicyReport write of this backend replica (default 6).
       */
      concurrency?: number;
      /**
       * Entities scanned in parallel by the scheduled task (default 2;
       * never more than scans.maxConcurrent).
       */
      entityConcurrency?: number;
    };

    /** Bounds of scans: how many run, how often, and how much each reads. */
    scans?: {
      /** Scans running at once, scheduled and on-demand together (default 2). */
      maxConcurrent?: number;
      /**
       * On-demand scans waiting for a free slot (default 20); a refresh
       * beyond that is answered 503 with Retry-After.
       */
      maxQueued?: number;
      /**
       * Least time between two on-demand scans of one entity (default 60
       * seconds): a refresh sooner is answered 429 with Retry-After and
       * costs no API request.
       */
      minInterval?:
        | string
        | { milliseconds?: number; seconds?: number; minutes?: number };
      /** On-demand scans one user or service may start per window. */
      perUser?: {
        /** Default 10. */
        limit?: number;
        /** Default 10 minutes. */
        window?:
          | string
          | {
              milliseconds?: number;
              seconds?: number;
              minutes?: number;
              hours?: number;
            };
      };
      /**
       * What one scan (every cluster of one entity) may read; past it the
       * cluster is reported as an error and not evaluated.
       */
      budget?: {
        /** API responses: list pages and single-object gets (default 40,000). */
        maxPages?: number;
        /** Objects kept (default 40,000). */
        maxObjects?: number;
        /** Response bytes (default 268,435,456 = 256 MiB). */
        maxBytes?: number;
      };
    };

    /**
     * Administrator-managed namespace bindings, for clusters whose
     * Namespace objects cannot carry the fl-security/federation label and
     * fl-security/entity-ref annotation: the entity may read these
     * namespaces as if they were bound to it (its annotations still choose
     * among them). Keyed by entity ref only: an owner (spec.owner) is
     * written by whoever writes the entity and binds nothing.
     */
    namespaceBindings?: Array<{
      /** Full entity ref, `kind:namespace/name`. */
      entityRef: string;
      /** Only in this cluster; absent: every cluster. */
      cluster?: string;
      namespaces: string[];
    }>;

    /** Reports kept per entity (default 20). */
    historyLimit?: number;

    /**
     * Notifications (notifications backend) to the entity's owners: a
     * federation going from passing to failing, a certificate crossing the
     * warn or fail threshold, and recoveries. Once per transition, never
     * per scan; the first scan of an entity sets its baseline silently.
     */
    notifications?: {
      /** Off by default; needs @backstage/plugin-notifications-backend. */
      enabled?: boolean;
      /** Passing to failing, and back (default true). */
      federationStatus?: boolean;
      /** Certificate expiry thresholds crossed, and renewals (default true). */
      certificateExpiry?: boolean;
    };

    /** Certificate expiry thresholds in days (defaults 30 and 14). */
    thresholds?: {
      expiryWarnDays?: number;
      expiryFailDays?: number;
    };

    /**
     * Write each report into a namespace bound to the entity (needs its own
     * RBAC; off by default). Named after the entity ref; never force-applied
     * over fields another field manager owns.
     */
    export?: {
      /** Off by default. */
      enabled?: boolean;
      /**
       * `policyreport` (default): a wgpolicyk8s.io/v1alpha2 PolicyReport.
       * `openreports`: an openreports.io/v1alpha1 Report (OpenReports, where
       * Kyverno moves to). Both namespaced, into the same namespace.
       */
      format?: 'policyreport' | 'openreports';
    };

    /**
     * The older switch: `enabled: true` exports as `export.format` says
     * (PolicyReport by default). `export.enabled` wins when both are set.
     */
    policyReport?: {
      enabled?: boolean;
    };
  };
}
