import { ClusterError } from '@fl-security/plugin-fl-security-common';
import { ClusterSource, ClusterSpec } from '../config/clusters';
import { connectCluster, KubeConnection } from '../kube/connection';
import { ClusterReader, ReadTarget, ScopeDecision } from './clusterReader';
import { ClusterSnapshot } from './engineTypes';
import { createLimiter, Limiter } from './limit';
import { ScanBudget, ScanLimits, UNLIMITED } from './scanBudget';

export interface FederationTarget extends ReadTarget {
  /** Only this cluster (`backstage.io/kubernetes-cluster`); absent: all. */
  cluster?: string;
  /**
   * Only these clusters (`fl-security/clusters`, the clusters of
   * `cluster/namespace` entries); each must be configured. Absent: `cluster`.
   */
  clusters?: string[];
  /** Namespaces asked for in one cluster only, besides `namespaces`. */
  clusterNamespaces?: Record<string, string[]>;
}

export interface FederationRead {
  /** One snapshot per cluster that answered in time. */
  snapshots: ClusterSnapshot[];
  /** Clusters that could not be read at all (partial report). */
  errors: ClusterError[];
  /** Key material read from Secrets; in memory only. */
  sensitiveValues: string[];
  /** Per cluster that answered: every namespace considered, read or not. */
  scope: Array<ScopeDecision & { cluster: string }>;
  /** What the read used of its budget (every cluster together). */
  usage?: { pages: number; objects: number; bytes: number };
}

/**
 * Namespaces an administrator maps to an entity (flSecurity.namespaceBindings),
 * for clusters where the Namespace objects cannot carry the binding.
 */
export interface NamespaceMapping {
  /** Lower-case `kind:namespace/name`. */
  entityRef: string;
  /** Only in this cluster; absent: every cluster. */
  cluster?: string;
  namespaces: string[];
}

export interface FederationReaderOptions {
  clusterTimeoutMs: number;
  /** API requests in flight per cluster, across every read at once. */
  concurrency: number;
  /** Budget of each read (all its clusters together); default unlimited. */
  limits?: ScanLimits;
  namespaceMappings?: readonly NamespaceMapping[];
  /** Replaceable in tests; defaults to the client-node connection. */
  connect?: (cluster: string, source: ClusterSource) => Promise<KubeConnection>;
}

/** What to read in one cluster: the entity's namespaces there and everywhere. */
function targetIn(target: FederationTarget, cluster: string): ReadTarget {
  const own = target.clusterNamespaces?.[cluster] ?? [];
  const namespaces = [...new Set([...(target.namespaces ?? []), ...own])];
  return {
    labelSelector: target.labelSelector,
    owner: target.owner,
    ...(namespaces.length > 0 ? { namespaces } : {}),
  };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 300);
}

/**
 * Reads one entity's objects from every relevant cluster in parallel. A
 * cluster that is misconfigured, unreachable or slower than the timeout
 * yields an error entry and no snapshot: its half-read objects are dropped
 * rather than evaluated as if complete. Never throws.
 */
export class FederationReader {
  private readonly limiters = new Map<string, Limiter>();

  constructor(
    private readonly clusters: ClusterSpec[],
    private readonly options: FederationReaderOptions,
  ) {}

  /**
   * The request limiter of a cluster, shared by every read (and the
   * PolicyReport export): `concurrency` bounds what one portal replica has
   * in flight at that API server, however many scans run.
   */
  limiterFor(cluster: string): Limiter {
    let limiter = this.limiters.get(cluster);
    if (!limiter) {
      limiter = createLimiter(this.options.concurrency);
      this.limiters.set(cluster, limiter);
    }
    return limiter;
  }

  private mappedNamespaces(entityRef: string, cluster: string): string[] {
    const ref = entityRef.toLocaleLowerCase('en-US');
    return (this.options.namespaceMappings ?? [])
      .filter(m => m.entityRef === ref && (!m.cluster || m.cluster === cluster))
      .flatMap(m => m.namespaces);
  }

  async read(
    target: FederationTarget,
    signal?: AbortSignal,
  ): Promise<FederationRead> {
    if (target.clusters) return this.readNamed(target, target.clusters, signal);
    const selected = target.cluster
      ? this.clusters.filter(c => c.name === target.cluster)
      : this.clusters;
    const errors: ClusterError[] = [];
    if (target.cluster && selected.length === 0) {
      errors.push({
        cluster: target.cluster,
        message: `cluster '${target.cluster}' (backstage.io/kubernetes-cluster) is not configured`,
      });
    }
    if (!target.cluster && selected.length === 0) {
      errors.push({
        cluster: '-',
        message:
          'no clusters configured (kubernetes.clusterLocatorMethods, flSecurity.kubeconfig or flSecurity.inCluster)',
      });
    }

    return this.readSelected(selected, target, errors, signal);
  }

  /**
   * The clusters an entity names, each of them configured: a name the
   * portal does not know is an error (nothing read for it), never a reason
   * to read another cluster.
   */
  private readNamed(
    target: FederationTarget,
    names: readonly string[],
    signal?: AbortSignal,
  ): Promise<FederationRead> {
    const errors: ClusterError[] = [];
    const selected: ClusterSpec[] = [];
    for (const name of names) {
      const spec = this.clusters.find(c => c.name === name);
      if (spec) selected.push(spec);
      else
        errors.push({
          cluster: name,
          message: `cluster '${name}' (named by the entity's fl-security/clusters or fl-security/namespaces) is not configured in the portal: nothing was read there`,
        });
    }
    return this.readSelected(selected, target, errors, signal);
  }

  private async readSelected(
    selected: ClusterSpec[],
    target: FederationTarget,
    errors: ClusterError[],
    signal?: AbortSignal,
  ): Promise<FederationRead> {
    const budget = new ScanBudget(this.options.limits ?? UNLIMITED);
    const results = await Promise.all(
      selected.map(spec =>
        this.readCluster(spec, targetIn(target, spec.name), budget, signal),
      ),
    );
    const snapshots: ClusterSnapshot[] = [];
    const sensitiveValues: string[] = [];
    const scope: FederationRead['scope'] = [];
    for (const result of results) {
      if ('error' in result) {
        errors.push(result.error);
      } else {
        snapshots.push(result.snapshot);
        sensitiveValues.push(...result.sensitiveValues);
        const cluster = result.snapshot.cluster ?? '-';
        scope.push(...result.scope.map(entry => ({ cluster, ...entry })));
      }
    }
    return { snapshots, errors, sensitiveValues, scope, usage: budget.used() };
  }

  private async readCluster(
    spec: ClusterSpec,
    target: ReadTarget,
    budget: ScanBudget,
    outer?: AbortSignal,
  ) {
    if (spec.error || !spec.source) {
      return {
        error: { cluster: spec.name, message: spec.error ?? 'not configured' },
      };
    }
    const { clusterTimeoutMs } = this.options;
    const controller = new AbortController();
    const abortFromOuter = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', abortFromOuter);
    let timer: NodeJS.Timeout | undefined;
    let connection: KubeConnection | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(
          `timed out after ${clusterTimeoutMs / 1000}s reading the cluster`,
        );
        controller.abort(error);
        reject(error);
      }, clusterTimeoutMs);
    });
    timedOut.catch(() => {});
    try {
      const work = (async () => {
        const connect = this.options.connect ?? connectCluster;
        connection = await connect(spec.name, spec.source!);
        if (controller.signal.aborted) {
          connection.close();
          throw controller.signal.reason;
        }
        const reader = new ClusterReader(connection, controller.signal, {
          limit: this.limiterFor(spec.name),
          concurrency: this.options.concurrency,
          budget,
          mappedNamespaces: this.mappedNamespaces(
            target.owner.entityRef,
            spec.name,
          ),
        });
        return reader.read(target);
      })();
      // The race guards against work that ignores the abort signal.
      return await Promise.race([work, timedOut]);
    } catch (error) {
      const reason = controller.signal.aborted
        ? controller.signal.reason ?? error
        : error;
      return { error: { cluster: spec.name, message: describe(reason) } };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', abortFromOuter);
      controller.abort();
      // (A connection opening after the timeout closes itself above.)
      (connection as KubeConnection | undefined)?.close();
    }
  }
}
