import { ServedVersions } from './apiDiscovery';
import { KubeObject } from './engineTypes';
import { ClusterApi, requestFailure } from './kubeApi';
import { groupVersion, groupVersionPath, ResourceKind } from './resourceKinds';
import { SnapshotBuilder } from './snapshotBuilder';

const PAGE_SIZE = '500';

/** Lists and gets of one kind into the snapshot; failures become gaps. */
export class ObjectReads {
  constructor(
    private readonly api: ClusterApi,
    private readonly versions: ServedVersions,
    private readonly snapshot: SnapshotBuilder,
  ) {}

  /** Lists one kind in one namespace (all pages). */
  async list(
    kind: ResourceKind,
    namespace: string,
    labelSelector: string,
  ): Promise<void> {
    const served = await this.versions.version(kind);
    if ('gap' in served) {
      this.snapshot.gapOnce(served.gap);
      return;
    }
    const { version } = served;
    const path = `${groupVersionPath(
      kind.group,
      version,
    )}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`;
    let continueToken: string | undefined;
    do {
      const response = await this.api.get(path, {
        labelSelector: kind.selection === 'label' ? labelSelector : undefined,
        limit: PAGE_SIZE,
        continue: continueToken,
      });
      if (response.status !== 200) {
        this.snapshot.gap(
          response.status === 404 && kind.optional
            ? {
                kind: kind.kind,
                apiVersion: groupVersion(kind.group, version),
                namespace,
                status: 'skip',
                reason: `${kind.kind} is not served in cluster ${this.api.cluster}`,
              }
            : requestFailure(response, kind, version, 'list', namespace),
        );
        return;
      }
      for (const item of response.body?.items ?? []) {
        this.snapshot.add(item, kind, version);
      }
      continueToken = response.body?.metadata?.continue || undefined;
    } while (continueToken);
  }

  /** Gets one object by name; 404 leaves it absent (the engine reports it). */
  async get(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined> {
    if (this.snapshot.has(kind.kind, namespace, name)) return undefined;
    const served = await this.versions.version(kind);
    if ('gap' in served) {
      this.snapshot.gapOnce(served.gap);
      return undefined;
    }
    const { version } = served;
    const scope = namespace
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
    const response = await this.api.get(
      `${groupVersionPath(kind.group, version)}${scope}/${
        kind.plural
      }/${encodeURIComponent(name)}`,
    );
    if (response.status === 200) {
      return this.snapshot.add(response.body, kind, version);
    }
    if (response.status !== 404) {
      this.snapshot.gap(
        requestFailure(response, kind, version, 'get', namespace, name),
      );
    }
    return undefined;
  }
}
