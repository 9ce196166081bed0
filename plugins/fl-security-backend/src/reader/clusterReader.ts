import { KubeConnection } from '../kube/connection';
import { ServedVersions } from './apiDiscovery';
import { KubeObject } from './engineTypes';
import { ClusterApi } from './kubeApi';
import { createLimiter, forEachLimit, Limiter } from './limit';
import { NamespaceScope, ScopeOwner } from './namespaceScope';
import { ObjectReads } from './objectReads';
import { followReferences, GetObjects } from './references';
import { LISTED_KINDS, ResourceKind } from './resourceKinds';
import { ScanBudget, UNLIMITED } from './scanBudget';
import { ClusterRead, SnapshotBuilder } from './snapshotBuilder';

export type { ClusterRead, ScopeDecision } from './snapshotBuilder';
export type { ScopeOwner } from './namespaceScope';

/** What to read in one cluster for one entity. */
export interface ReadTarget {
  /** Label selector of the entity's objects (within bound namespaces). */
  labelSelector: string;
  /**
   * Namespaces the entity asks for (its annotations); only the bound ones
   * are read. Absent: the namespaces labelled with its federation id.
   */
  namespaces?: string[];
  /** The entity the namespaces must be bound to. */
  owner: ScopeOwner;
}

/** Requests one read waits on at once when only a shared limiter is given. */
const DEFAULT_CONCURRENCY = 6;

export interface ClusterReaderOptions {
  /** A limiter shared with other reads of the cluster, or a concurrency. */
  limit: Limiter | number;
  /** Requests this read keeps waiting on at once (default: `limit` if a number, else 6). */
  concurrency?: number;
  /** The scan's budget (shared by its clusters); default unlimited. */
  budget?: ScanBudget;
  /** Namespaces of this cluster an administrator mapped to the entity. */
  mappedNamespaces?: readonly string[];
}

/**
 * Reads the objects of one entity from one cluster into a snapshot: which
 * namespaces are bound to it first (nothing else is read in the others),
 * then every listed kind in the bound ones, then what those objects
 * reference by name, again only in bound namespaces.
 */
export class ClusterReader {
  private readonly api: ClusterApi;
  private readonly snapshot: SnapshotBuilder;
  private readonly reads: ObjectReads;
  private readonly mapped: readonly string[];
  private readonly concurrency: number;

  constructor(
    connection: KubeConnection,
    signal: AbortSignal,
    options: ClusterReaderOptions | number,
  ) {
    const { limit, budget, mappedNamespaces, concurrency } =
      typeof options === 'number' ? { limit: options } : options;
    this.concurrency =
      concurrency ?? (typeof limit === 'number' ? limit : DEFAULT_CONCURRENCY);
    const scanBudget = budget ?? new ScanBudget(UNLIMITED);
    this.api = new ClusterApi(
      connection,
      signal,
      typeof limit === 'number' ? createLimiter(limit) : limit,
      scanBudget,
    );
    this.snapshot = new SnapshotBuilder(scanBudget);
    this.reads = new ObjectReads(
      this.api,
      new ServedVersions(this.api),
      this.snapshot,
    );
    this.mapped = mappedNamespaces ?? [];
  }

  async read(target: ReadTarget): Promise<ClusterRead> {
    const scope = new NamespaceScope(
      this.api,
      this.snapshot,
      target.owner,
      this.mapped,
    );
    const namespaces = await scope.resolve(target.namespaces, this.concurrency);
    const lists = namespaces.flatMap(namespace =>
      LISTED_KINDS.map(kind => ({ kind, namespace })),
    );
    await forEachLimit(lists, this.concurrency, ({ kind, namespace }) =>
      this.reads.list(kind, namespace, target.labelSelector),
    );
    await followReferences(
      this.snapshot,
      this.scoped(scope),
      gap => this.snapshot.gap(gap),
      this.concurrency,
    );
    return this.snapshot.build(this.api.cluster, scope.entries());
  }

  /** Gets by name, only in namespaces bound to the entity. */
  private scoped(scope: NamespaceScope): GetObjects {
    return {
      get: async (
        kind: ResourceKind,
        namespace: string | undefined,
        name: string,
      ): Promise<KubeObject | undefined> => {
        if (namespace !== undefined) {
          const what = `${kind.kind} ${namespace}/${name}`;
          if (!(await scope.isBound(namespace, what))) {
            this.snapshot.gap({
              kind: kind.kind,
              namespace,
              name,
              status: 'skip',
              reason: `not read: namespace ${namespace} is not bound to this entity`,
            });
            return undefined;
          }
        }
        return this.reads.get(kind, namespace, name);
      },
    };
  }
}
