import { SnapshotGap } from './engineTypes';
import { ClusterApi, statusMessage } from './kubeApi';
import { groupVersionPath, ResourceKind } from './resourceKinds';

/** The version a kind is read in, or the gap explaining why it cannot be. */
export type ServedVersion = { version: string } | { gap: SnapshotGap };

/**
 * API discovery of the optional kinds (CRDs): which of their versions the
 * cluster serves. A missing CRD is a 404 on its group/version. Asked once
 * per group and plural for the whole read.
 */
export class ServedVersions {
  private readonly found = new Map<string, Promise<ServedVersion>>();

  constructor(private readonly api: ClusterApi) {}

  version(kind: ResourceKind): Promise<ServedVersion> {
    if (!kind.optional) return Promise.resolve({ version: kind.versions[0] });
    const key = `${kind.group}/${kind.plural}`;
    let found = this.found.get(key);
    if (!found) {
      found = this.discover(kind);
      this.found.set(key, found);
    }
    return found;
  }

  private async discover(kind: ResourceKind): Promise<ServedVersion> {
    for (const version of kind.versions) {
      const path = groupVersionPath(kind.group, version);
      const response = await this.api.get(path);
      if (response.status === 404) continue;
      if (response.status !== 200) {
        return {
          gap: {
            kind: kind.kind,
            status: 'error',
            reason: `API discovery of ${
              kind.group
            }/${version} failed with HTTP ${response.status}: ${statusMessage(
              response,
            )}`,
            ...(response.status === 403
              ? { missingPermission: `get ${path}` }
              : {}),
          },
        };
      }
      const resources: Array<{ name?: string }> =
        response.body?.resources ?? [];
      if (resources.some(r => r.name === kind.plural)) return { version };
    }
    return {
      gap: {
        kind: kind.kind,
        status: 'skip',
        reason: `${kind.kind} (${kind.group} ${kind.versions.join(
          '/',
        )}) is not installed in cluster ${this.api.cluster}`,
      },
    };
  }
}
