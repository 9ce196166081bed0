import { KubeConnection } from '../kube/connection';
import { ServedVersions } from './apiDiscovery';
import { KubeObject } from './engineTypes';
import { ClusterApi, requestFailure } from './kubeApi';
import { createLimiter, Limiter } from './limit';
import { ObjectReads } from './objectReads';
import { followReferences } from './references';
import { LISTED_KINDS, NAMESPACE } from './resourceKinds';
import { ClusterRead, SnapshotBuilder } from './snapshotBuilder';

export type { ClusterRead } from './snapshotBuilder';

/** What to read in one cluster for one entity. */
export interface ReadTarget {
  /** Label selector of the entity's objects. */
  labelSelector: string;
  /** Namespaces to read; absent: the Namespaces matching the selector. */
  namespaces?: string[];
}

/**
 * Reads the objects of one entity from one cluster into a snapshot: the
 * namespaces first, then every listed kind in them, then what those objects
 * reference by name.
 */
export class ClusterReader {
  private readonly api: ClusterApi;
  private readonly snapshot = new SnapshotBuilder();
  private readonly reads: ObjectReads;

  constructor(
    connection: KubeConnection,
    signal: AbortSignal,
    /** A limiter shared with other reads, or the concurrency of a new one. */
    limit: Limiter | number,
  ) {
    this.api = new ClusterApi(
      connection,
      signal,
      typeof limit === 'number' ? createLimiter(limit) : limit,
    );
    this.reads = new ObjectReads(
      this.api,
      new ServedVersions(this.api),
      this.snapshot,
    );
  }

  async read(target: ReadTarget): Promise<ClusterRead> {
    const namespaces =
      target.namespaces ??
      (await this.discoverNamespaces(target.labelSelector));
    const present = await Promise.all(
      namespaces.map(namespace => this.readNamespace(namespace)),
    );
    const readable = namespaces.filter((_, i) => present[i]);
    await Promise.all(
      readable.flatMap(namespace =>
        LISTED_KINDS.map(kind =>
          this.reads.list(kind, namespace, target.labelSelector),
        ),
      ),
    );
    await followReferences(this.snapshot, this.reads, gap =>
      this.snapshot.gap(gap),
    );
    return this.snapshot.build(this.api.cluster);
  }

  /** Gets a namespace; false when it does not exist in this cluster. */
  private async readNamespace(namespace: string): Promise<boolean> {
    const response = await this.api.get(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
    );
    if (response.status === 200) {
      this.snapshot.add(response.body, NAMESPACE, 'v1');
      return true;
    }
    if (response.status === 404) return false;
    // Cannot tell whether it exists: read it anyway, and say why.
    this.snapshot.gap(
      requestFailure(response, NAMESPACE, 'v1', 'get', undefined, namespace),
    );
    return true;
  }

  private async discoverNamespaces(labelSelector: string): Promise<string[]> {
    const response = await this.api.get('/api/v1/namespaces', {
      labelSelector,
    });
    if (response.status !== 200) {
      this.snapshot.gap(requestFailure(response, NAMESPACE, 'v1', 'list'));
      return [];
    }
    const items: KubeObject[] = response.body?.items ?? [];
    return items.map(item => item.metadata.name).sort();
  }
}
